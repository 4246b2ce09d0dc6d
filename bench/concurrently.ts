/**
 * Runs `task(0..count-1)` on `workers` concurrent workers, each taking the next index when it is free;
 * no task starts after `deadline` (a performance.now() time). Resolves with the number of tasks run.
 */
export async function concurrently(count: number, workers: number, task: (i: number) => Promise<void>, deadline = Infinity): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, worker));
  return next;
}
