import autocannon from 'autocannon';

/**
 * The API load's second process: autocannon at a steady rate against each route at once, every response's
 * latency kept (autocannon's own summary has no p95), printed as one JSON line. Started by bench/api-load.ts with
 * its plan as the one argument.
 */
export interface LoadPlan {
  url: string;
  token: string;
  /** Requests a second per route, over `connections` connections. */
  rate: number;
  connections: number;
  seconds: number;
  routes: { name: string; paths: string[] }[];
}

export interface RouteFigures {
  name: string;
  requests: number;
  non2xx: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function loadRoute(plan: LoadPlan, route: LoadPlan['routes'][number]): Promise<RouteFigures> {
  const latencies: number[] = [];
  let non2xx = 0;
  let finished!: (err: Error | null) => void;
  const done = new Promise<void>((resolve, reject) => (finished = (err) => (err ? reject(err) : resolve())));
  const instance = autocannon(
    {
      url: plan.url,
      connections: plan.connections,
      overallRate: plan.rate,
      duration: plan.seconds,
      headers: { authorization: `Bearer ${plan.token}` },
      requests: route.paths.map((path) => ({ method: 'GET' as const, path })),
    },
    (err) => finished(err),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx++;
  });
  await done;
  const sorted = latencies.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    name: route.name,
    requests: sorted.length,
    non2xx,
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    max: r(sorted[sorted.length - 1] ?? NaN),
  };
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]) as LoadPlan;
  const figures = await Promise.all(plan.routes.map((route) => loadRoute(plan, route)));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((err) => {
  process.stderr.write(`load client: ${(err as Error).message}\n`);
  process.exit(1);
});
