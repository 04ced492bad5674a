import { z } from "zod";

export const auditQuerySchema = z.object({
  before: z
    .string()
    .regex(/^\d+-\d+$/, "before must be an audit entry id")
    .optional(),
  count: z.coerce.number().int().min(1).max(500).default(50),
});
