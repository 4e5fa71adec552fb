import { createServer } from 'node:net';

/**
 * The Temporal SDK (its Rust core) serves its Prometheus metrics on an HTTP address of its own. The worker binds it to
 * a free loopback port that only its own /metrics reads, so a worker has one page to scrape, like every other process.
 */
export async function freeLoopbackAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no free loopback port for the SDK metrics');
  return `127.0.0.1:${address.port}`;
}

/** The SDK's exposition as text; an SDK that does not answer leaves the page with the application's own metrics. */
export function sdkMetrics(bindAddress: string): () => Promise<string> {
  return async () => {
    try {
      const res = await fetch(`http://${bindAddress}/metrics`, { signal: AbortSignal.timeout(5_000) });
      return res.ok ? await res.text() : '';
    } catch {
      return '';
    }
  };
}
