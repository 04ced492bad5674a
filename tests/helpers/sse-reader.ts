import type { LiveClient } from "@/lib/live/client";
import type { BatchEvent, LiveMessage } from "@/lib/live/protocol";

/**
 * Reads a browser's SSE stream (a tab's, or the whole stream) and collects what a browser would
 * see, with the tab each event is for; reading starts with `start()`.
 */
export function reader(client: Pick<LiveClient, "stream">) {
  const events: { event: string; data: unknown; id?: string; tab?: string }[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const streamReader = client.stream.getReader();
  let paused = false;
  const pump = async () => {
    while (!paused) {
      const { value, done } = await streamReader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          frame
            .split("\n")
            .filter((line) => !line.startsWith(":") && line.includes(":"))
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
        );
        if (fields.event)
          events.push({
            event: fields.event,
            data: JSON.parse(fields.data ?? "null"),
            id: fields.id,
            tab: fields.tab,
          });
      }
    }
  };
  return {
    events,
    start: () => {
      paused = false;
      void pump();
    },
    messages: () =>
      events
        .filter((e) => e.event === "batch")
        .flatMap((e) => (e.data as BatchEvent).messages) as LiveMessage[],
    dropped: () =>
      events.filter((e) => e.event === "batch").reduce((sum, e) => sum + (e.data as BatchEvent).dropped, 0),
  };
}
