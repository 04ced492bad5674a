import "server-only";
import { encodeWire, MESSAGE_OVERHEAD_BYTES, SharedMessage, toPayload } from "@/lib/live/payload";
import type { RedisNode } from "@/lib/redis/client";
import { displayBytes } from "@/lib/redis/keys";
import { createDedicatedClient } from "@/lib/redis/registry";

// A live tail of a stream: XREAD BLOCK on a connection of its own (a blocking read would stall the
// shared client), shared by every tab watching that stream and stopped when the last one leaves.
// Unlike pub/sub, a stream keeps its entries: after a reconnect the tail resumes from the last id.

/** Receives each new entry, encoded once for every tab watching the stream. */
export type StreamListener = (entry: SharedMessage) => void;

function encodeEntry(key: Buffer, id: string, fields: Buffer[]): SharedMessage {
  const at = Date.now();
  const size = fields.reduce((sum, field) => sum + field.length + 6, key.length + MESSAGE_OVERHEAD_BYTES);
  return new SharedMessage(() => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2)
      record[displayBytes(fields[i]!)] = displayBytes(fields[i + 1]!);
    return encodeWire({
      at,
      source: "stream",
      channel: displayBytes(key),
      entryId: id,
      payload: toPayload(Buffer.from(JSON.stringify(record))),
    });
  }, size);
}

const BLOCK_MS = 2_000;
const BATCH = 500;

type XReadReply = [Buffer, [Buffer, Buffer[]][]][] | null;

class StreamTail {
  readonly listeners = new Set<StreamListener>();
  /** Resolves once the tail knows where "now" is: entries added after that are delivered. */
  readonly ready: Promise<void>;
  private readonly client: RedisNode;
  private running = true;
  private lastId = "0-0";

  constructor(
    connectionId: string,
    private readonly key: Buffer,
  ) {
    this.client = createDedicatedClient(connectionId, "stream-tail") as RedisNode;
    // "$" in XREAD means "after the command arrives", which would miss entries added between the
    // watch and the first blocking read; the newest id read up front has no such gap.
    this.ready = this.client
      .xrevrange(this.key, "+", "-", "COUNT", 1)
      .then((rows) => {
        this.lastId = rows[0]?.[0] ?? "0-0";
      })
      .catch(() => undefined)
      .finally(() => void this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const reply = (await this.client.xreadBuffer(
          "COUNT",
          BATCH,
          "BLOCK",
          BLOCK_MS,
          "STREAMS",
          this.key,
          this.lastId,
        )) as XReadReply;
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            this.lastId = id.toString();
            const shared = encodeEntry(this.key, this.lastId, fields);
            for (const listener of this.listeners) listener(shared);
          }
        }
      } catch {
        // Redis away, or the key is not a stream: wait and try again while anyone watches.
        if (this.running) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  stop(): void {
    this.running = false;
    this.client.disconnect();
  }
}

const globalTails = globalThis as unknown as { __consoleStreamTails?: Map<string, StreamTail> };

function tails(): Map<string, StreamTail> {
  globalTails.__consoleStreamTails ??= new Map();
  return globalTails.__consoleStreamTails;
}

export function watchStream(
  connectionId: string,
  key: Buffer,
  listener: StreamListener,
): { stop: () => void; ready: Promise<void> } {
  const id = `${connectionId}:${key.toString("base64")}`;
  let tail = tails().get(id);
  if (!tail) {
    tail = new StreamTail(connectionId, key);
    tails().set(id, tail);
  }
  tail.listeners.add(listener);
  const stop = () => {
    const current = tails().get(id);
    if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
    current.stop();
    tails().delete(id);
  };
  return { stop, ready: tail.ready };
}

export function activeStreamTails(): number {
  return tails().size;
}
