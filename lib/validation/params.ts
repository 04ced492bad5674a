import { z } from "zod";
import { bytesFromRef } from "@/lib/validation/key-ref";
import { says } from "@/lib/validation/messages";

// The dynamic segments of route URLs (`[ref]`, `[id]`), for defineRoute's `params`. A link that
// does not parse is refused with what to do instead, not with the field-by-field wording of a form.

const NOT_A_KEY = says("linkNotKey");

/** `[ref]`: the key's bytes. */
export const keyParamsSchema = z.object({
  ref: bytesFromRef(NOT_A_KEY).refine((key) => key.length > 0, NOT_A_KEY),
});

/** `[id]` of a cache job. */
export const jobParamsSchema = z.object({ id: z.uuid(says("linkNotJob")) });
