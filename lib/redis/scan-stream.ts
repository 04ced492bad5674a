import "server-only";
import type { RedisClient } from "@/lib/redis/client";
import { orderedNodes, parseCursor, recordTypeFilterReads } from "@/lib/redis/scan";

// The scan engine as a stream: SCAN over every data node (each master of a cluster) to the end, one
// batch at a time, for work that goes through the whole keyspace (the keys browser's streamed
// "continue", the exact count job). The next SCAN is sent as soon as a batch arrives, so it runs in
// Redis while the caller handles the batch; the caller stops by returning early or through
// `signal`, and at most that one SCAN already sent completes after it. Cursors are scanKeys's
// (`<node>-<position>`), so a stream and the paged route can continue each other.

export const STREAM_SCAN_COUNT = 1_000;

export interface ScanBatchRequest {
  match: Buffer | string;
  /** SCAN … TYPE filter (Redis 6+). */
  type?: string;
  /** From a previous page or batch; omitted or "" to start. */
  cursor?: string;
  /** The COUNT of the first SCAN call (default STREAM_SCAN_COUNT). */
  count?: number;
  /** The next call's COUNT from this one's and its round trip (the background jobs' pacing); else COUNT stays. */
  pace?: (count: number, roundTripMs: number) => number;
  /** Stops the stream: no SCAN is sent once it aborted. */
  signal?: AbortSignal;
}

export interface ScanBatch {
  keys: Buffer[];
  /** Where this batch ends: continue from here. "" once every node was scanned to its end. */
  cursor: string;
  /** Keys the server looked at for this batch, approximately (the call's COUNT). */
  examined: number;
  /** Index of the node (in the cursor's order) this batch came from. */
  node: number;
}

interface Position {
  node: number;
  position: string;
}

export async function* scanBatches(
  client: RedisClient,
  request: ScanBatchRequest,
): AsyncGenerator<ScanBatch> {
  const nodes = orderedNodes(client);
  let count = request.count ?? STREAM_SCAN_COUNT;
  const scanFrom = async ({ node, position }: Position): Promise<ScanBatch & { ms: number }> => {
    const args: (string | Buffer | number)[] = [position, "MATCH", request.match, "COUNT", count];
    if (request.type) args.push("TYPE", request.type);
    const began = performance.now();
    // callBuffer: the pattern may be binary, which the typed scanBuffer overloads do not allow.
    const [next, keys] = (await nodes[node]!.callBuffer("SCAN", ...args)) as [Buffer, Buffer[]];
    if (request.type) recordTypeFilterReads(nodes[node]!, request.match, count, next, keys.length);
    const at = next.toString();
    const ended = at === "0";
    const cursor = ended ? (node + 1 < nodes.length ? `${node + 1}-0` : "") : `${node}-${at}`;
    return { keys, cursor, examined: Math.max(count, keys.length), node, ms: performance.now() - began };
  };
  const stopped = () => request.signal?.aborted === true;
  const start = parseCursor(request.cursor);
  if (start.node >= nodes.length || stopped()) return;
  let pending: Promise<ScanBatch & { ms: number }> | null = scanFrom(start);
  try {
    while (pending) {
      const { ms, ...batch } = await pending;
      if (request.pace) count = request.pace(count, ms);
      pending = batch.cursor && !stopped() ? scanFrom(parseCursor(batch.cursor)) : null;
      if (stopped()) return;
      yield batch;
    }
  } finally {
    // A SCAN sent ahead and no longer wanted: let it finish, unobserved.
    pending?.catch(() => {});
  }
}
