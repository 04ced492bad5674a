import { z } from "zod";
import type { SeriesPoint } from "@/lib/metrics/sample";

// Points as they travel through console state: one compact JSON field per stream entry, and the
// same JSON in the feed's pub/sub messages. Read back through a schema, because console state is
// a Redis anyone with access can write to; a malformed entry is skipped, never charted.

// z.number() refuses NaN and Infinity.
const count = z.number();

const sampleSchema = z.object({
  at: count,
  hits: count,
  misses: count,
  expired: count,
  evicted: count,
  commands: count,
  netIn: count,
  netOut: count,
  calls: z.record(z.string(), count),
  usedMemory: count,
  maxMemory: count,
  fragmentation: count,
  clients: count,
  blocked: count,
  keys: count,
  uptime: count,
  nodes: count,
  reset: z.literal(true).optional(),
  own: z
    .object({
      by: count,
      shared: z.literal(true).optional(),
      hits: count,
      misses: count,
      commands: count.optional(),
      calls: z.record(z.string(), count).optional(),
    })
    .optional(),
});

const gapSchema = z.object({ at: count, gap: z.enum(["unreachable", "not-sampled"]) });

const pointSchema = z.union([gapSchema, sampleSchema]);

export function encodePoint(point: SeriesPoint): string {
  return JSON.stringify(point);
}

/** The point, or null when the text is not one (foreign or corrupted entry). */
export function decodePoint(text: string | undefined): SeriesPoint | null {
  if (text === undefined) return null;
  try {
    const parsed = pointSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface StoredPoint {
  /** The point's id in the 1-second stream: where a follower resumes after missing feed messages. */
  id: string;
  point: SeriesPoint;
}

/** A feed message: the stream id, a space, the point's JSON. */
export function encodeFeedMessage(id: string, pointText: string): string {
  return `${id} ${pointText}`;
}

export function decodeFeedMessage(message: string): StoredPoint | null {
  const space = message.indexOf(" ");
  if (space <= 0) return null;
  const point = decodePoint(message.slice(space + 1));
  return point && { id: message.slice(0, space), point };
}
