/** Runs `task(0..count-1)` on `workers` concurrent workers, each taking the next index when it is free. */
export async function concurrently(count: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, worker));
}
