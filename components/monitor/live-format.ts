// How a live message's payload reads on the monitor page: described as a stored value so
// ValueDisplay can show it. Clock times and rates come from useFormat() (lib/i18n/format).
import type { LivePayload } from "@/lib/live/protocol";
import type { ValueView } from "@/lib/values/types";

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
