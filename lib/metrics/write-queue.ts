/**
 * Writes run one at a time, in order, off the caller's path, so a slow console state never delays
 * the next INFO. Bounded: while state is slow or away, the oldest waiting writes are dropped (the
 * charts keep working from memory), and a failure is reported once per outage, not every second.
 */
export class WriteQueue {
  private readonly waiting: (() => Promise<unknown>)[] = [];
  private running = false;
  private failing = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  push(write: () => Promise<unknown>): void {
    if (this.waiting.length >= this.limit) this.waiting.shift();
    this.waiting.push(write);
    if (!this.running) this.drained = this.drain();
  }

  /** Resolves once every waiting write has been tried (at once when none waits). */
  idle(): Promise<void> {
    return this.drained;
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let write = this.waiting.shift(); write; write = this.waiting.shift()) {
      try {
        await write();
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.onFailure(error);
        this.failing = true;
      }
    }
    this.running = false;
  }
}
