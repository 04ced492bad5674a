import "server-only";
import { withClient } from "@/lib/redis/gate";
import { connectionConfigs } from "@/lib/redis/registry";

export interface ConnectionHealth {
  id: string;
  ok: boolean;
  latencyMs?: number;
}

export interface HealthReport {
  ok: boolean;
  connections: ConnectionHealth[];
}

const PING_TIMEOUT_MS = 2_000;

async function ping(id: string): Promise<ConnectionHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), PING_TIMEOUT_MS);
    });
    await Promise.race([withClient(id, (client) => client.ping()), timeout]);
    return { id, ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { id, ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/** PINGs every configured connection; names which ones fail and nothing more (no keys, no hosts). */
export async function checkHealth(): Promise<HealthReport> {
  const connections = await Promise.all(connectionConfigs().map((config) => ping(config.id)));
  return { ok: connections.every((c) => c.ok), connections };
}
