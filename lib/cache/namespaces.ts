import "server-only";
import {
  groupNamespaces,
  type NamespaceStats,
  type NamespaceSummary,
  type SampledKey,
} from "@/lib/cache/grouping";
import { sampleNodes, sampleTotals, sampleWeight, type NodeSample } from "@/lib/cache/node-scan";
import { consoleStateTest } from "@/lib/console-state";
import { AppError } from "@/lib/errors";
import { defaultDelimiter } from "@/lib/keys/list";
import { describeKeys } from "@/lib/keys/metadata";
import { withClient } from "@/lib/redis/gate";
import { displayBytes, escapeGlobBytes, fromKeyRef, typedBytes } from "@/lib/redis/keys";

// The Cache page's namespaces: a budgeted SCAN sample on every data node (never KEYS), then TYPE,
// PTTL and MEMORY USAGE of the sampled keys in batches, one script or pipeline per batch (lib/keys).
// When the sample did not cover the whole database the figures are scaled and marked `sampled`.

export const DEFAULT_SAMPLE = 10_000;
export const MAX_SAMPLE = 100_000;
/** Namespaces returned at most, largest first; the rest are only counted. */
export const MAX_NAMESPACES = 500;
/** Keys per metadata round trip (lib/keys' script takes up to 500). */
const DESCRIBE_BATCH = 500;
const STAR = Buffer.from("*");

export interface ListNamespacesOptions {
  /** Default: CONSOLE_KEY_DELIMITER, else ":". */
  delimiter?: string;
  /** The level to show, typed as displayed ("" for the top); a namespace's `prefix` goes one level down. */
  prefix?: string;
  /** Keys examined at most, over every node. */
  sample?: number;
  includeConsoleState?: boolean;
}

export interface NamespacePage {
  prefix: string;
  delimiter: string;
  namespaces: NamespaceSummary[];
  /** Namespaces beyond MAX_NAMESPACES, left out of `namespaces`. */
  otherNamespaces: number;
  /** Keys directly at this level (no delimiter after the prefix). */
  direct: NamespaceStats | null;
  /** The scan stopped before the end of the database: counts and memory are scaled estimates. */
  sampled: boolean;
  /** Keys examined (approximately, when sampled); the page says "sampled from N keys". */
  sampleSize: number;
  /** Distinct keys under the prefix that the sample saw. */
  keysSeen: number;
  dbSize: number;
}

async function describeSample(sample: NodeSample): Promise<SampledKey[]> {
  const weight = sampleWeight(sample);
  const described: SampledKey[] = [];
  for (let i = 0; i < sample.keys.length; i += DESCRIBE_BATCH) {
    const rows = await describeKeys(sample.node, sample.keys.slice(i, i + DESCRIBE_BATCH));
    for (const row of rows) {
      // Rows carry the key as a ref; the ref is canonical, so it decodes to the same bytes.
      const key = fromKeyRef(row.ref)!;
      described.push({
        key,
        type: row.type,
        ttlSeconds: row.ttlSeconds,
        memoryBytes: row.memoryBytes,
        weight,
      });
    }
  }
  return described;
}

function clampSample(sample: number | undefined): number {
  return Math.min(Math.max(Math.trunc(sample ?? DEFAULT_SAMPLE), 1_000), MAX_SAMPLE);
}

export async function listNamespaces(
  connectionId: string,
  options: ListNamespacesOptions = {},
): Promise<NamespacePage> {
  const prefix = typedBytes(options.prefix ?? "");
  const delimiter = typedBytes(options.delimiter ?? defaultDelimiter());
  if (delimiter.length === 0) throw AppError.of("INVALID", "emptyDelimiter");
  const isConsoleState = consoleStateTest();
  const keep = (key: Buffer) => Boolean(options.includeConsoleState) || !isConsoleState(key);
  return withClient(connectionId, async (client) => {
    const match = Buffer.concat([escapeGlobBytes(prefix), STAR]);
    const samples = await sampleNodes(client, match, clampSample(options.sample), keep);
    const described = (await Promise.all(samples.map(describeSample))).flat();
    const { namespaces, direct } = groupNamespaces(described, prefix, delimiter);
    const totals = sampleTotals(samples);
    return {
      prefix: displayBytes(prefix),
      delimiter: displayBytes(delimiter),
      namespaces: namespaces.slice(0, MAX_NAMESPACES),
      otherNamespaces: Math.max(0, namespaces.length - MAX_NAMESPACES),
      direct,
      sampled: totals.sampled,
      sampleSize: totals.examined,
      keysSeen: described.length,
      dbSize: totals.dbSize,
    };
  });
}
