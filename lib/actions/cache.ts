"use server";

import { defineAction, type ActionContext } from "@/lib/actions/safe-action";
import { countPattern } from "@/lib/cache/count";
import { flushDatabase } from "@/lib/cache/database";
import { cancelJob, startExactCount, startFlush } from "@/lib/cache/jobs";
import { flushPatternFor, userPattern } from "@/lib/cache/policy";
import { typedGlob } from "@/lib/redis/keys";
import {
  cancelJobSchema,
  dryRunFlushSchema,
  flushDatabaseSchema,
  startCountSchema,
  startFlushSchema,
} from "@/lib/validation/cache";

// The Cache page's changes (DESIGN.md contract 5, 6): a namespace flush goes dry run → typed
// confirmation → background job (operator; a pattern matching every key is a database flush,
// admin only); the job audits its pattern and count when it ends, and its start is audited here
// so a flush cut short by a restart still leaves a trace. A whole-database flush is admin only.

function sessionOf(context: ActionContext) {
  // defineAction let the call through only with a session of the role asked for.
  return context.session!;
}

/** Any pattern but the console's own; the answer says when flushing it would need an admin. */
export const dryRunFlush = defineAction({
  role: "operator",
  input: dryRunFlushSchema,
  run: async ({ conn, pattern, budget }) => countPattern(conn, userPattern(pattern), { budget }),
});

export const startFlushJob = defineAction({
  role: "operator",
  input: startFlushSchema,
  run: async ({ conn, pattern }, context) => {
    const session = sessionOf(context);
    return startFlush(conn, {
      pattern: flushPatternFor(pattern, session.role),
      user: session.username,
      role: session.role,
      address: context.address,
    });
  },
  audit: ({ conn, pattern }, job) => ({
    action: "cache.flush.start",
    connection: conn,
    target: pattern,
    detail: job ? `job ${job.id}` : undefined,
  }),
});

export const cancelFlushJob = defineAction({
  role: "operator",
  input: cancelJobSchema,
  run: async ({ id }, context) => cancelJob(id, sessionOf(context).username),
});

/** Counting changes nothing, so a viewer may ask for an exact count, and cancel it. */
export const startCountJob = defineAction({
  role: "viewer",
  input: startCountSchema,
  run: async ({ conn, pattern }, context) =>
    startExactCount(conn, { pattern: typedGlob(pattern), user: sessionOf(context).username }),
});

export const cancelCountJob = defineAction({
  role: "viewer",
  input: cancelJobSchema,
  run: async ({ id }, context) => cancelJob(id, sessionOf(context).username, "count"),
});

export const flushDatabaseAction = defineAction({
  role: "admin",
  input: flushDatabaseSchema,
  run: async ({ conn, confirm }) => flushDatabase(conn, confirm),
  audit: ({ conn, confirm }, data) => ({
    action: "cache.flushdb",
    connection: conn,
    target: data?.label ?? confirm,
    count: data?.keysBefore,
  }),
});
