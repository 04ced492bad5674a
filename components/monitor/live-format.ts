// How live data reads on the monitor page: clock times in UTC like the rest of the console, and a
// message payload described as a stored value so ValueDisplay can show it.
import type { LivePayload } from "@/lib/live/protocol";
import type { ValueView } from "@/lib/values/types";

/** "12:01:02" (UTC). */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** "12:01:02.345" (UTC). */
export function formatClockMs(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** "7 s", "2 min 5 s", "1 h 3 min". */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return String(Math.round(perSecond));
  return String(Number(perSecond.toFixed(1)));
}

/** JSON objects and arrays are recognised for the tree view; everything else is text or hex. */
export function payloadView(payload: LivePayload): ValueView {
  const base = { display: payload.text, size: payload.size, truncated: payload.truncated };
  // Hex as the rest of the console shows bytes: pairs separated by spaces.
  if (payload.encoding === "hex")
    return { ...base, kind: "binary", display: payload.text.replace(/(..)(?!$)/g, "$1 ") };
  const start = payload.text.trimStart()[0];
  if (!payload.truncated && (start === "{" || start === "[")) {
    try {
      return { ...base, kind: "json", json: JSON.parse(payload.text) as unknown };
    } catch {
      // not JSON after all: show the text
    }
  }
  return { ...base, kind: "text" };
}
