import { stat } from 'node:fs/promises';

/**
 * While a copy writes `part` towards `total` bytes, tells `report` how far it is in whole percent, only when
 * that changes, and never 100: the copy is whole only once renamed. Returns what stops it.
 */
export function followCopy(part: string, total: number, report: (percent: number) => void, everyMs: number): () => void {
  let shown = -1;
  const tick = async () => {
    const pct = Math.min(99, Math.floor(((await stat(part)).size / Math.max(1, total)) * 100));
    if (pct === shown) return;
    shown = pct;
    report(pct);
  };
  // the part file may not exist yet, or be gone already: the next tick or the end of the copy tells
  const timer = setInterval(() => void tick().catch(() => undefined), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
