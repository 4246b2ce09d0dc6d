/**
 * A loop that runs `tick` every `intervalMs`, never two ticks at once, and can be asked to run early.
 * Early runs are spaced at least `minGapMs` apart, so that a burst of requests (thousands of new VMs)
 * is handled by a few cycles instead of one cycle each. Errors are reported and the loop goes on: one
 * bad cycle must not stop monitoring or scheduling.
 */
export class TimerLoop {
  private timer: NodeJS.Timeout | null = null;
  private delayed: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private lastStart = 0;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
    private readonly minGapMs = 0,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  /** Runs a cycle now, or as soon as the one in progress and the minimum gap allow. */
  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.delayed) return;
    const wait = this.lastStart + this.minGapMs - Date.now();
    if (wait > 0) {
      this.delayed = setTimeout(() => {
        this.delayed = null;
        this.trigger();
      }, wait);
      return;
    }
    this.lastStart = Date.now();
    this.running = this.tick()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.trigger();
        }
      });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.delayed) clearTimeout(this.delayed);
    this.timer = null;
    this.delayed = null;
    await this.running;
  }
}
