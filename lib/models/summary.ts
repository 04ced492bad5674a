import "server-only";
import { assertHash } from "@/lib/models/fields";
import { parseModelKey } from "@/lib/models/naming";
import { toAppError } from "@/lib/redis/errors";
import { displayBytes, escapeGlob, toKeyRef } from "@/lib/redis/keys";
import { findConnection, readyClient } from "@/lib/redis/registry";
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
}

export async function getModelSummary(connectionId: string, key: Buffer): Promise<ModelSummary> {
  const config = findConnection(connectionId);
  try {
    const client = await readyClient(connectionId);
    const [type, fields, memory, pttl] = await Promise.all([
      client.type(key),
      client.hlen(key).catch(() => 0),
      client.memory("USAGE", key).catch(() => null),
      client.pttl(key),
    ]);
    assertHash(type, key);
    const { name, version } = parseModelKey(key);
    let versions: ModelSummary["versions"] = [];
    if (version !== null) {
      const siblings = await scanKeys(client, {
        match: `model:${escapeGlob(name)}:v*`,
        type: "hash",
        limit: 200,
        maxCalls: 50,
      });
      versions = siblings.keys
        .map((sibling) => ({ ref: toKeyRef(sibling), key: displayBytes(sibling), ...parseModelKey(sibling) }))
        .filter((s): s is typeof s & { version: number } => s.version !== null && s.name === name)
        .map(({ ref, key: siblingKey, version: v }) => ({ ref, key: siblingKey, version: v }))
        .sort((a, b) => b.version - a.version);
      versions = versions.filter((v, i) => versions.findIndex((w) => w.ref === v.ref) === i);
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
    };
  } catch (error) {
    throw toAppError(error, config.name);
  }
}
