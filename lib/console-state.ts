import "server-only";

// The console's own data (audit log, history, metrics, sessions) lives under a reserved prefix in
// the first configured connection, or in a separate Redis when CONSOLE_STATE_URL is set; its
// client comes from the registry (withState in lib/redis/gate.ts).

export function statePrefix(): string {
  return process.env.CONSOLE_STATE_PREFIX ?? "__console:";
}

export function stateKey(...parts: string[]): string {
  return statePrefix() + parts.join(":");
}

/** A test for keys under the console-state prefix, the prefix read once (a scan calls it per key). */
export function consoleStateTest(): (key: Buffer) => boolean {
  const prefix = Buffer.from(statePrefix(), "utf8");
  return (key) => key.length >= prefix.length && prefix.compare(key, 0, prefix.length) === 0;
}

export function isConsoleStateKey(key: Buffer): boolean {
  return consoleStateTest()(key);
}
