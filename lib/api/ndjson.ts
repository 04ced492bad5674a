import "server-only";
import { failureOf } from "@/lib/auth/guard";
import { errorTranslator } from "@/lib/i18n/server";

// A route's long read as NDJSON (one JSON value a line), pulled by the reader: the next line is
// made only when the previous one was taken (a ReadableStream of high-water mark 1, and Next writes
// it to the socket as the socket drains), so a slow reader slows the work instead of piling it up
// in memory. The work stops when the reader goes away: the signal `open` gets aborts on the
// request's abort and on the stream's cancel, whichever comes first. A failure after the answer
// started is its last line, `{ "kind": "error", "error": { code, message } }`, in the caller's
// language: the status was already sent.

const encoder = new TextEncoder();

export const NDJSON_HEADERS = {
  "Content-Type": "application/x-ndjson; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  "X-Accel-Buffering": "no",
} as const;

/**
 * Opens the work with a signal that says when to stop, then answers its lines. A failure while
 * opening (an unknown connection, Redis down) is thrown, for the route to answer with a status.
 */
export async function ndjsonResponse(
  request: Request,
  open: (signal: AbortSignal) => Promise<AsyncGenerator<unknown, void>>,
): Promise<Response> {
  const cancelled = new AbortController();
  const signal = AbortSignal.any([request.signal, cancelled.signal]);
  const lines = await open(signal);
  const translate = await errorTranslator();
  const close = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      controller.close();
    } catch {
      // cancelled meanwhile: nothing left to close
    }
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done || signal.aborted) return close(controller);
          controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
        } catch (error) {
          if (signal.aborted) return close(controller);
          const failure = failureOf(error, "route").toBody(translate);
          controller.enqueue(encoder.encode(`${JSON.stringify({ kind: "error", error: failure })}\n`));
          close(controller);
        }
      },
      cancel() {
        cancelled.abort();
        void lines.return(undefined).catch(() => {});
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, { headers: NDJSON_HEADERS });
}
