import "server-only";

// The loop behind a polled feed (the Cache page's hit rates and slow log, lib/live/feeds.ts): one
// per connection in the process, whatever the number of viewers. It reads while somebody watches
// and stops a grace period after the last one leaves, like the metrics sampler. Reads never
// overlap: a read asked for while one runs waits for it.

export interface PollerOptions {
  intervalMs: number;
  /** How long it keeps reading after the last viewer left (a quick reload finds it warm). */
  graceMs: number;
  /** For the log line when a read throws (a bug: reads report Redis errors to their viewers). */
  label: string;
  /** Called when the loop stops after the grace period, to let go of what it kept. */
  onIdle?: () => void;
}

export class Poller {
  private users = 0;
  private lastUse = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The read under way, or the last one; every read waits for the one before. */
  private chain: Promise<void> = Promise.resolve();
  /** Bumped by every start and stop, so a timer of an earlier run does nothing. */
  private generation = 0;
  private running = false;

  constructor(
    private readonly read: () => Promise<void>,
    readonly options: PollerOptions,
  ) {}

  /** A viewer: the loop runs until the returned function is called (and the grace after it). */
  acquire(): () => void {
    this.users += 1;
    this.lastUse = Date.now();
    if (!this.running) {
      this.running = true;
      this.schedule(++this.generation, 0);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      this.lastUse = Date.now();
    };
  }

  get watching(): boolean {
    return this.running;
  }

  /** Reads now, after any read under way, without waiting for the next period. */
  readNow(): Promise<void> {
    this.chain = this.chain.then(() =>
      this.read().catch((error: unknown) => {
        console.error(`[${this.options.label}] a read failed:`, error);
      }),
    );
    return this.chain;
  }

  /** Stops reading; once this resolves no read is under way. */
  async stop(): Promise<void> {
    this.running = false;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  private schedule(generation: number, delayMs: number): void {
    if (generation !== this.generation) return;
    this.timer = setTimeout(() => void this.tick(generation), delayMs);
    this.timer.unref?.();
  }

  private async tick(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const started = Date.now();
    if (this.users === 0 && started - this.lastUse >= this.options.graceMs) {
      await this.stop();
      this.options.onIdle?.();
      return;
    }
    await this.readNow();
    this.schedule(generation, Math.max(0, this.options.intervalMs - (Date.now() - started)));
  }
}

/**
 * One reader per connection in the process, on globalThis under `name` (Next may load a module
 * once per route bundle; every copy must find the same reader).
 */
export function perConnection<T extends { poller: Poller }>(name: string) {
  const global = globalThis as unknown as Record<string, Map<string, T> | undefined>;
  const readers = () => (global[name] ??= new Map<string, T>());
  return {
    /** The reader of connection `id`, made by `make` on first use. */
    get(id: string, make: () => T): T {
      let reader = readers().get(id);
      if (!reader) readers().set(id, (reader = make()));
      return reader;
    },
    /** For tests and shutdown. */
    async close(): Promise<void> {
      const all = [...readers().values()];
      readers().clear();
      await Promise.all(all.map((reader) => reader.poller.stop()));
    },
  };
}
