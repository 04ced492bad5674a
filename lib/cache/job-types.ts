import type { ErrorBody } from "@/lib/errors";

// What a flush or count job looks like to pages and to other console instances (it is kept in
// console state as JSON): the running job's own memory is lib/cache/job-registry.ts's.

export type JobKind = "flush" | "count";
export type JobState = "running" | "done" | "cancelled" | "failed";

export interface JobSnapshot {
  id: string;
  kind: JobKind;
  connectionId: string;
  /** The pattern as typed text (see lib/cache/glob displayGlob). */
  pattern: string;
  user: string;
  state: JobState;
  /** Keys examined by SCAN so far, approximately, over every node. */
  scanned: number;
  /**
   * Flush: keys SCAN returned for the pattern (a key SCAN repeats is counted again).
   * Count: distinct matching keys — the count itself.
   */
  matched: number;
  /** Flush: keys UNLINK removed, from its replies, so each key counts once. 0 for a count. */
  deleted: number;
  /** DBSIZE over every node when the job started. */
  totalKeys: number;
  /** 0…1, from how far SCAN got on each node. */
  progress: number;
  /** Flush: keys deleted per second; count: keys examined per second. */
  ratePerSec: number;
  /** Approximate; null while too early to tell. */
  etaSeconds: number | null;
  nodes: number;
  nodesDone: number;
  startedAt: number;
  finishedAt: number | null;
  cancelledBy: string | null;
  error: ErrorBody | null;
  /** Count: false when the job saw too many keys to filter out SCAN's repeats (the count may run high). */
  exact: boolean;
}
