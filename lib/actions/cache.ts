"use server";

import { defineAction } from "@/lib/actions/safe-action";
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
// confirmation → background job (operator; a pattern that reaches every key is a database flush,
// admin only, confirmed with the database's name — lib/cache/policy decides); the job audits its
// pattern and count when it ends, and its start is audited here so a flush cut short by a restart
// still leaves a trace. A whole-database flush is admin only.

/** Any pattern but the console's own; the answer says when flushing it would need an admin. */
export const dryRunFlush = defineAction({
  name: "dryRunFlush",
  role: "operator",
  input: dryRunFlushSchema,
  run: async ({ conn, pattern, budget }) => countPattern(conn, userPattern(pattern), { budget }),
});

export const startFlushJob = defineAction({
  name: "startFlushJob",
  role: "operator",
  input: startFlushSchema,
  run: async ({ conn, pattern, confirm }, { session, address }) => {
    const decision = await flushPatternFor(conn, { pattern, confirm }, session.role);
    return startFlush(conn, {
      pattern: decision.pattern,
      user: session.username,
      role: session.role,
      address,
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
  name: "cancelFlushJob",
  role: "operator",
  input: cancelJobSchema,
  run: async ({ id }, { session }) => cancelJob(id, session.username),
});

/** Counting changes nothing, so a viewer may ask for an exact count, and cancel it. */
export const startCountJob = defineAction({
  name: "startCountJob",
  role: "viewer",
  input: startCountSchema,
  run: async ({ conn, pattern }, { session }) =>
    startExactCount(conn, { pattern: typedGlob(pattern), user: session.username }),
});

export const cancelCountJob = defineAction({
  name: "cancelCountJob",
  role: "viewer",
  input: cancelJobSchema,
  run: async ({ id }, { session }) => cancelJob(id, session.username, "count"),
});

export const flushDatabaseAction = defineAction({
  name: "flushDatabaseAction",
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
