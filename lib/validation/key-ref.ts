import { z } from "zod";
import { fromKeyRef } from "@/lib/redis/keys";
import { says } from "@/lib/validation/messages";

// A key, field or member travels as base64url of its bytes (DESIGN.md contract 1). These schemas
// turn the ref into the bytes as they check it, so an action or route decodes each ref once and
// hands lib/ a Buffer.

/** Refs of a few hundred KB at most: a field name or value an edit may carry. */
const MAX_REF_CHARS = 700_000;

/** Bytes from a ref; `invalid` words every refusal (for a link: what to do instead). */
export function bytesFromRef(invalid?: string) {
  return (
    invalid ? z.string({ error: invalid }).max(MAX_REF_CHARS, invalid) : z.string().max(MAX_REF_CHARS)
  ).transform((ref, context) => {
    const bytes = fromKeyRef(ref);
    if (bytes) return bytes;
    context.addIssue({ code: "custom", message: invalid ?? says("notKeyRef") });
    return z.NEVER;
  });
}

/** Any bytes, the empty name included (a hash may have a field named ""). */
export const byteRefSchema = bytesFromRef();

/** A key's bytes: Redis has no empty key name. */
export const keyRefSchema = byteRefSchema.refine((key) => key.length > 0, says("emptyKeyName"));
