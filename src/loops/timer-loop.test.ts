import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimerLoop } from './timer-loop.js';

describe('TimerLoop', () => {
  afterEach(() => vi.useRealTimers());

  it('runs at start and every interval, never two cycles at once', async () => {
    vi.useFakeTimers();
    let runs = 0;
    let release: () => void = () => undefined;
    const loop = new TimerLoop(() => { runs++; return new Promise<void>((r) => (release = r)); }, 1000, () => undefined);
    loop.start();
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3000); // the first cycle is still running: no overlap
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(2); // triggers that came meanwhile collapse into one more cycle
    release();
    await loop.stop();
  });

  it('spaces early runs by the minimum gap and coalesces a burst of triggers', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const loop = new TimerLoop(async () => { runs++; }, 60_000, () => undefined, 500);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 100; i++) loop.trigger();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(2);
    await loop.stop();
  });

  it('reports a failing cycle and keeps going', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const loop = new TimerLoop(async () => { throw new Error('boom'); }, 100, (e) => errors.push(e));
    loop.start();
    await vi.advanceTimersByTimeAsync(250);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    await loop.stop();
  });
});
