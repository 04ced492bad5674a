import "server-only";

// A read shared by every viewer of a connection: at most one runs at a time, and its answer is
// reused while it is younger than `maxAgeMs` (DESIGN.md: no per-viewer Redis work). On globalThis,
// like the samplers, so every route bundle of one Next process shares it.

interface Entry {
  at: number;
  value?: unknown;
  running?: Promise<unknown>;
}

const globalReads = globalThis as unknown as { __consoleClusterReads?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  globalReads.__consoleClusterReads ??= new Map();
  return globalReads.__consoleClusterReads;
}

export async function sharedRead<T>(key: string, maxAgeMs: number, read: () => Promise<T>): Promise<T> {
  const entry = entries().get(key);
  if (entry?.running) return entry.running as Promise<T>;
  if (entry && "value" in entry && Date.now() - entry.at <= maxAgeMs) return entry.value as T;
  const running = read();
  entries().set(key, { ...entry, at: entry?.at ?? 0, running });
  try {
    const value = await running;
    entries().set(key, { at: Date.now(), value });
    return value;
  } catch (error) {
    // A failed read is not kept: the next viewer tries again.
    entries().delete(key);
    throw error;
  }
}

/** For tests: forgets every shared answer. */
export function forgetSharedReads(): void {
  entries().clear();
}
