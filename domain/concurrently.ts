/** Runs work(0 … n-1) with at most `limit` calls in flight at once. */
export async function forEachConcurrently(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}
