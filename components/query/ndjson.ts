// The browser side of a streamed answer (lib/api/ndjson.ts): one JSON value a line, handed on as
// each line arrives. Ending the loop early cancels the body; aborting the fetch ends the read.

export async function* readNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if ((finished = done)) break;
      buffered += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (line) yield JSON.parse(line) as T;
      }
    }
    if (buffered.trim()) yield JSON.parse(buffered) as T;
  } finally {
    // Left early: tell the server, which stops its work (an abort of the fetch does the same).
    if (!finished) void reader.cancel().catch(() => {});
  }
}
