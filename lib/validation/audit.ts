import { z } from "zod";
import { says } from "@/lib/validation/messages";

export const auditQuerySchema = z.object({
  before: z
    .string()
    .regex(/^\d+-\d+$/, says("auditBefore"))
    .optional(),
  count: z.coerce.number().int().min(1).max(500).default(50),
});
