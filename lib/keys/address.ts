import "server-only";
import { errorTranslator } from "@/lib/i18n/server";
import { withClient } from "@/lib/redis/gate";
import { fromKeyRef } from "@/lib/redis/keys";

// What a key page's address names. The console's own links carry the key as base64url of its
// bytes (DESIGN.md contract 1); a person may also type the plain name (`/models/linear_regression`)
// or paste it percent-encoded (`/keys/model%3Achurn%3Av3`).

export type KeyAddress =
  | { kind: "ref"; key: Buffer }
  /** A plain name of a key that exists: the page redirects to its canonical address. */
  | { kind: "name"; key: Buffer }
  /** `message` in the language of the request. */
  | { kind: "none"; message: string };

/** The segment with its percent-escapes read, or as it is when they do not decode. */
function percentDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function resolveKeyAddress(connectionId: string, segment: string): Promise<KeyAddress> {
  const ref = fromKeyRef(segment);
  // Next hands the dynamic segment over still percent-encoded (`model%3Achurn%3Av3`).
  const name = Buffer.from(percentDecoded(segment), "utf8");
  const translate = await errorTranslator();
  if (name.length === 0) return { kind: "none", message: translate("addressNamesNoKey") };
  return withClient(connectionId, async (client) => {
    // A name like `abcd` is also valid base64url: the key the console would link to wins, and the
    // plain name is tried only when no such key exists.
    const [refExists, nameExists] = await Promise.all([
      ref && ref.length > 0 ? client.exists(ref) : Promise.resolve(0),
      client.exists(name),
    ]);
    if (ref && ref.length > 0 && (refExists === 1 || nameExists === 0)) return { kind: "ref", key: ref };
    if (nameExists === 1) return { kind: "name", key: name };
    return { kind: "none", message: translate("noSuchKey", { key: percentDecoded(segment) }) };
  });
}
