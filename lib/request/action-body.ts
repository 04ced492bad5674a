import { englishError, type ErrorKey } from "@/lib/errors";

// What a server action's body must look like before Next decodes it. Next answers a body its
// decoder chokes on (not JSON, a dangling reference) with a bare 500; the front door checks it
// first and answers 400 instead. Pure, for unit tests.
//
// The console's pages call actions with plain JSON arguments, which React sends as a text/plain
// JSON array. React marks its own encodings with a leading `$`: user text that starts with `$` is
// sent as `$$…`; `$undefined`, dates (`$D…`), big integers (`$n` and digits only: React calls
// BigInt on it) and the special numbers are
// values. Any other `$…` is a reference to another part of a multipart body, which these calls
// never use.

const VALUE_MARKS = /^\$(?:\$|undefined$|Infinity$|-Infinity$|NaN$|-0$|D|n-?\d+$)/;

function plain(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (typeof value === "string") return !value.startsWith("$") || VALUE_MARKS.test(value);
  if (Array.isArray(value)) return value.every((item) => plain(item, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.values(value).every((item) => plain(item, depth + 1));
  }
  return true;
}

/** Null when Next can decode the body; otherwise the key of what is wrong with it, for the 400 answer. */
export function actionBodyProblemKey(contentType: string | undefined, body: string): ErrorKey | null {
  if (!contentType?.toLowerCase().startsWith("text/plain")) return "actionNotTextPlain";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "actionArgsNotJson";
  }
  if (!Array.isArray(parsed)) return "actionArgsNotArray";
  if (!plain(parsed, 0)) return "actionArgsReferences";
  return null;
}

/** What is wrong with the body, in English; null when Next can decode it. */
export function actionBodyProblem(contentType: string | undefined, body: string): string | null {
  const key = actionBodyProblemKey(contentType, body);
  return key && englishError(key);
}
