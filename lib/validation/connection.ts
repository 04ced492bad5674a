import { z } from "zod";
import { says } from "@/lib/validation/messages";

export const connectionIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, says("notConnectionId"));

export const switchConnectionSchema = z.object({ connectionId: connectionIdSchema });

/** Query of read routes that work on one connection; without `conn`, the switcher's choice. */
export const connectionQuerySchema = z.object({ conn: connectionIdSchema.optional() });
