import { afterAll, afterEach, beforeAll } from "vitest";
import type Redis from "ioredis";
import { openLiveClient } from "@/lib/live/browser-stream";
import type { LiveClient } from "@/lib/live/client";
import { closeHitRatesReaders } from "@/lib/cache/hit-rates-feed";
import { closePubSubHubs } from "@/lib/live/pubsub";
import { closeMetricsSamplers } from "@/lib/metrics/samplers";
import { closeSlowLogReaders } from "@/lib/slowlog/feed";
import { closeAllClients } from "@/lib/redis/registry";
import type { RedisServerHandle } from "@/scripts/lib/redis-server";
import { startTestRedis } from "@/tests/helpers/redis";

// The set-up every test file of the live path shares: tabs opened by a test are closed after it,
// and what the live path keeps per process (pub/sub hubs and their subscribers, metrics samplers,
// the hit-rates and slow-log readers, the registry's clients) is closed after the file.

/** Closes the hubs, the samplers and readers, and the clients, in that order: the others use the clients. */
export async function closeLivePath(): Promise<void> {
  await closePubSubHubs();
  await closeMetricsSamplers();
  await closeHitRatesReaders();
  await closeSlowLogReaders();
  await closeAllClients();
}

/** Opens a tab's channel as user "ana" on a connection (default "main"); closed after each test. */
export function liveTabs(): (connectionId?: string) => LiveClient {
  const open: LiveClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close("test over")));
  });
  return (connectionId = "main") => {
    const client = openLiveClient(connectionId, "ana", Number.POSITIVE_INFINITY);
    open.push(client);
    return client;
  };
}

/**
 * For a live-path test file: a private redis-server as the console's one connection "main", and
 * `client`, a plain connection of the test's own that publishes and checks what Redis holds.
 */
export function withLiveRedis(): { readonly server: RedisServerHandle; readonly client: Redis } {
  let started: { server: RedisServerHandle; client: Redis } | undefined;
  beforeAll(async () => {
    started = await startTestRedis();
    process.env.CONSOLE_CONNECTIONS = JSON.stringify([
      { id: "main", type: "standalone", url: started.server.url },
    ]);
  });
  afterAll(async () => {
    await closeLivePath();
    delete process.env.CONSOLE_CONNECTIONS;
    started?.client.disconnect();
    await started?.server.stop();
  });
  return {
    get server() {
      return started!.server;
    },
    get client() {
      return started!.client;
    },
  };
}
