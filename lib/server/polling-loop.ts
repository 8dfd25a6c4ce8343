/**
 * A background loop: calls `work` back to back while it finds something to do, sleeps
 * `idleMs` when it does not (or until notify()), and survives errors. `loops` copies run at
 * once. stop() lets the current call finish.
 */
export class PollingLoop {
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void)[] = [];

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<boolean>,
    private readonly options: { idleMs: number; loops?: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.loops ?? 1 }, () => this.loop());
  }

  notify(): void {
    for (const wake of this.wake.splice(0)) wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (await this.work()) continue;
      } catch (error) {
        console.error(`[${this.name}] failed; trying again shortly`, error);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.idleMs);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
