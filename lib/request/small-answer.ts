import "server-only";
import type http from "node:http";

// A server action's small answer, sent whole and not gzipped (the front door, lib/request/front-door,
// installs it on every action call).

/**
 * Answers shorter than this are not worth compressing (the threshold of Next's own compression
 * when it knows the length): a route handler's are marked `no-transform` (lib/api/route.ts), an
 * action's are sent whole (below).
 */
export const SMALL_ANSWER = 1024;

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => http.ServerResponse;
type Streamed = http.ServerResponse & { flush?: () => void };

/** What `write(chunk, encoding)` would send: a string in its encoding, or the bytes as they are. */
function bytesOf(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === "string")
    return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  // Node refuses anything else the same way.
  throw new TypeError("The chunk of an answer must be a string, a Buffer or a Uint8Array");
}

/**
 * A server action's answer goes out in one piece when it is under SMALL_ANSWER, with its length
 * and without gzip. Next streams every action answer (headers first, then each chunk flushed), so
 * its compression never knows the length and gzips even the 200 bytes of an edit's answer: on a
 * two-core machine that took 0.65 ms of the edit's 5 ms, most of it waiting for zlib's thread
 * (bench/RESULTS.md). So when Next sends the headers, they wait, and so does what Next writes,
 * until the answer ends (sent whole: the compression sees its length and leaves it) or reaches
 * SMALL_ANSWER (sent on as Next wrote it, gzipped as before: a large bulk preview).
 */
export function sendSmallAnswerWhole(response: Streamed): void {
  const flushHeaders = response.flushHeaders;
  response.flushHeaders = function (this: Streamed) {
    // Put back at once: the hold below is installed once, over whatever Next has put in place.
    response.flushHeaders = flushHeaders;
    if (this.headersSent) return flushHeaders.call(this);
    const write = this.write as Write;
    const end = this.end as End;
    const flush = this.flush;
    const held: Buffer[] = [];
    let size = 0;
    const release = () => {
      this.write = write as typeof this.write;
      this.end = end as typeof this.end;
      if (flush) this.flush = flush;
    };
    if (flush) this.flush = () => undefined;
    this.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === "function" ? encoding : callback;
      const bytes = bytesOf(chunk, encoding);
      held.push(bytes);
      size += bytes.length;
      if (size < SMALL_ANSWER) {
        if (typeof done === "function") process.nextTick(done as () => void);
        return true;
      }
      release();
      flushHeaders.call(this);
      return write.call(this, Buffer.concat(held), done);
    }) as typeof this.write;
    this.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      const done = [chunk, encoding, callback].find((arg) => typeof arg === "function");
      if (chunk !== undefined && chunk !== null && typeof chunk !== "function") {
        const bytes = bytesOf(chunk, encoding);
        held.push(bytes);
        size += bytes.length;
      }
      release();
      // The whole answer is here: its length goes with it (the compression then leaves it alone).
      if (!this.headersSent && !this.hasHeader("content-length") && !this.hasHeader("transfer-encoding")) {
        this.setHeader("Content-Length", size);
      }
      return end.call(this, Buffer.concat(held), done);
    }) as typeof this.end;
  };
}
