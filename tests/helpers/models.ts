import { createHash } from "node:crypto";
import type Redis from "ioredis";
import type { FieldChange } from "@/lib/models/types";
import { fieldChangeSchema } from "@/lib/validation/models";

// What the models tests share: names and values given as text or bytes, the digest an edit is
// based on, and a model written the way a training job writes it.

export type Bytes = string | Buffer;

export const bytes = (value: Bytes): Buffer => (typeof value === "string" ? Buffer.from(value) : value);

/** The digest an edit carries: SHA-1 of the value's bytes, hex. */
export const sha1 = (value: Bytes): string => createHash("sha1").update(bytes(value)).digest("hex");

export const sorted = (items: Iterable<string>): string[] => [...items].sort();

/** Changes as the page sends them back and the apply action decodes them. */
export const decoded = (changes: FieldChange[]) => fieldChangeSchema.array().parse(changes);

/** Writes a hash in chunks, as a job writing a big model would. */
export async function writeHash(client: Redis, key: Bytes, entries: [Bytes, Bytes][]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1_000) {
    await client.hset(key, ...entries.slice(i, i + 1_000).flat());
  }
}

/** The refusal for a model page opened on a string. */
export const notAHash = (key: string) => ({
  code: "INVALID",
  message: `${key} is a string, not a hash: it cannot hold model parameters.`,
});
