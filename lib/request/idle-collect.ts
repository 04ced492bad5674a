import "server-only";
import v8 from "node:v8";
import vm from "node:vm";

// One full garbage collection when the console falls quiet after a busy spell (issue 15, memory).
// V8 grows its heap under load and gives the pages back only after a full collection, which it
// starts when the heap fills up; a quiet console allocates too little to fill it, so it kept a
// busy spell's heap for good: 302 MB RSS a minute after the bench in one run, 126 MB in another
// where a collection happened to come. One collection of that heap takes 10–60 ms; it runs at most
// once per busy spell, when few requests are waiting on it.

/** Requests the front door has seen (lib/request/front-door.ts counts them). */
let served = 0;

export function countRequest(): void {
  served += 1;
}

export interface IdleCollection {
  /** How often the console's traffic is looked at. */
  everyMs: number;
  /** Requests since the last collection that make a busy spell. */
  busy: number;
  /** At most this many requests in the last `everyMs` is quiet (a few open tabs still poll). */
  quiet: number;
}

const DEFAULTS: IdleCollection = { everyMs: 15_000, busy: 200, quiet: 20 };

/**
 * Looks at the traffic every `everyMs` and collects once it is quiet after a busy spell. Returns
 * the function that stops it. Does nothing where no collection can be started.
 */
export function collectWhenIdle(
  options: Partial<IdleCollection> = {},
  collect: (() => void) | null = fullCollection(),
): () => void {
  if (!collect) return () => {};
  const { everyMs, busy, quiet } = { ...DEFAULTS, ...options };
  let seen = served;
  let atCollection = served;
  const timer = setInterval(() => {
    const now = served;
    if (now - seen <= quiet && now - atCollection >= busy) {
      collect();
      atCollection = now;
    }
    seen = now;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * V8's own `gc()`: the one `--expose-gc` puts on the global object, else the one a context made
 * while that flag is set gets (the flag is set back at once, so nothing else sees a `gc`).
 * Null where neither is possible.
 */
export function fullCollection(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc: unknown = vm.runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}
