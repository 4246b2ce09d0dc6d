/**
 * A loop that runs `tick` every `intervalMs`, never two ticks at once, and can be asked to run early.
 * Errors are reported and the loop goes on: one bad cycle must not stop monitoring or scheduling.
 */
export class TimerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  /** Runs a cycle now, or right after the one in progress. */
  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
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
    this.timer = null;
    await this.running;
  }
}
