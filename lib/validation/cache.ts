import { z } from "zod";
import { connectionIdSchema } from "@/lib/validation/connection";
import { HIT_RATE_RANGE_NAMES } from "@/lib/validation/ranges";
import { says } from "@/lib/validation/messages";

// The Cache page's inputs: the namespace view, the flush dry run and job, the exact count, and the
// whole-database flush. Patterns stay typed text here (`result:*`, `\*` for a literal star, `\xff`
// for a byte, as the console shows keys); lib/cache turns them into bytes, so the same schema works
// in a browser form. A flush is confirmed by typing its pattern (or the database's name) again.

export const MIN_NAMESPACE_SAMPLE = 1_000;
export const MAX_NAMESPACE_SAMPLE = 100_000;
export const MAX_DRY_RUN_BUDGET = 1_000_000;

const patternSchema = z.string().min(1, says("typePattern")).max(1_024, says("patternTooLong"));

export const namespacesQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  /** The level to show, typed as displayed; a namespace's `prefix` goes one level down. */
  prefix: z.string().max(1_024).default(""),
  delimiter: z.string().min(1, says("emptyDelimiter")).max(16).optional(),
  /** Keys to examine at most; beyond the database's size the figures are exact. */
  sample: z.coerce.number().int().min(MIN_NAMESPACE_SAMPLE).max(MAX_NAMESPACE_SAMPLE).default(10_000),
  includeConsoleState: z.stringbool().default(false),
});

export const jobsQuerySchema = z.object({ conn: connectionIdSchema.optional() });

export const jobIdSchema = z.uuid(says("notJobId"));

export const dryRunFlushSchema = z.object({
  conn: connectionIdSchema,
  pattern: patternSchema,
  /** Keys to examine at most before answering with an estimate. */
  budget: z.number().int().min(1_000).max(MAX_DRY_RUN_BUDGET).optional(),
});

export const startFlushSchema = z.object({
  conn: connectionIdSchema,
  pattern: patternSchema,
  /**
   * The pattern typed again, exactly; or, when the server finds the pattern reaches every key of
   * the database, the database's name (`db0 on <connection>`). Only the server can tell which
   * (lib/cache/policy flushPatternFor), so it checks the confirmation, not this schema.
   */
  confirm: z.string().min(1, says("retypePattern")).max(1_024),
});

export const startCountSchema = z.object({ conn: connectionIdSchema, pattern: patternSchema });

export const cancelJobSchema = z.object({ id: jobIdSchema });

export const flushDatabaseSchema = z.object({
  conn: connectionIdSchema,
  /** The database's name as the page shows it (`db0 on <connection>`), typed. */
  confirm: z.string().min(1, says("typeDatabaseName")).max(200),
});

/** The hit rate by namespace over the last 15 minutes, hour or day (counters are per minute). */
export const hitRatesQuerySchema = z.object({
  conn: connectionIdSchema.optional(),
  range: z.enum(HIT_RATE_RANGE_NAMES).default("1h"),
});
