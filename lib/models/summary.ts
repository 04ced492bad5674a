import "server-only";
import { assertHash } from "@/lib/models/fields";
import { modelNameBytes, parseModelKey } from "@/lib/models/naming";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, escapeGlobBytes, toKeyRef } from "@/lib/redis/keys";
import { scanKeys } from "@/lib/redis/scan";

// The head of a model page: what the hash is, how big, and its sibling versions.

export interface ModelSummary {
  ref: string;
  key: string;
  name: string;
  version: number | null;
  fields: number;
  memoryBytes: number | null;
  ttlSeconds: number | null;
  /** Other versions of the same model (`model:<name>:v<N>`), newest first. */
  versions: { ref: string; key: string; version: number }[];
  /** False when the version scan stopped at its budget before the end of the database. */
  versionsComplete: boolean;
}

/** SCAN calls (COUNT 1000) spent looking for sibling versions when a model page opens. */
const VERSION_SCAN_CALLS = 300;

export async function getModelSummary(connectionId: string, key: Buffer): Promise<ModelSummary> {
  return withClient(connectionId, async (client) => {
    const [type, fields, memory, pttl] = await Promise.all([
      client.type(key),
      client.hlen(key).catch(() => 0),
      client.memory("USAGE", key).catch(() => null),
      client.pttl(key),
    ]);
    assertHash(type, key);
    const { name, version } = parseModelKey(key);
    const nameBytes = modelNameBytes(key);
    let versions: ModelSummary["versions"] = [];
    let versionsComplete = true;
    if (nameBytes) {
      // Matched on the name's bytes, so binary names and names with glob characters work too.
      const siblings = await scanKeys(client, {
        match: Buffer.concat([Buffer.from("model:"), escapeGlobBytes(nameBytes), Buffer.from(":v*")]),
        type: "hash",
        limit: 1_000,
        maxCalls: VERSION_SCAN_CALLS,
      });
      versionsComplete = siblings.cursor === "";
      const seen = new Set<string>();
      versions = siblings.keys
        .filter((sibling) => modelNameBytes(sibling)?.equals(nameBytes))
        .map((sibling) => ({
          ref: toKeyRef(sibling),
          key: displayBytes(sibling),
          version: parseModelKey(sibling).version!,
        }))
        .filter((v) => !seen.has(v.ref) && seen.add(v.ref))
        .sort((a, b) => b.version - a.version);
    }
    return {
      ref: toKeyRef(key),
      key: displayBytes(key),
      name,
      version,
      fields,
      memoryBytes: memory ?? null,
      ttlSeconds: pttl >= 0 ? Math.ceil(pttl / 1000) : null,
      versions,
      versionsComplete,
    };
  });
}
