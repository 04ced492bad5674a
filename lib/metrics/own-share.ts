import "server-only";
import { stateKey } from "@/lib/console-state";
import { answerMarks, answersTo, type SampleMark } from "@/lib/metrics/own-marks";
import type { OwnTotals } from "@/lib/metrics/own-settle";
import { withState } from "@/lib/redis/gate";
import { ownCommands, ownReads, ownTrafficConnections } from "@/lib/redis/own-reads";

// Every console instance's own traffic, added up in console state (DESIGN.md contract 11): each
// process counts the reads and commands it sends (lib/redis/own-reads.ts) and adds what is new to
// one hash per connection; the sampler that reads INFO leaves the sum out, so another instance's
// listing is not taken for the application's traffic.
//
//   key       <prefix>metrics:own:<connection>   fields hits, misses, commands, call:<commandstats name>
//
// The sampler takes its own process's counts as they are (exact, read right after INFO). The other
// instances' counts must be as of the same moment: shared a second late, another instance's burst
// fell in the step after the one INFO counted it in, so it showed in ops/s and the top commands
// there and was taken out of the next step instead. So each sample has a mark: the sampler
// publishes it in INFO's own pipeline where console state is on that server (Redis runs the two
// back to back, nobody's command between them), else right after INFO's reply. Every instance
// shares what it has sent so far when the mark reaches it and answers; the sampler waits for the
// answers (lib/metrics/own-marks.ts), then reads the sum. What an instance sent between INFO and
// the mark's arrival is counted a step early; the sampler carries it into the next step
// (lib/metrics/own-settle.ts). Every instance also shares once a second, for one that goes away
// between marks.

const SHARE_INTERVAL_MS = 1_000;

/** The console's own counts on a connection: the shape a sample stores (lib/metrics/own-settle.ts). */
export type OwnTraffic = OwnTotals;

const globalShare = globalThis as unknown as {
  __consoleOwnShared?: Map<string, OwnTraffic>;
  __consoleOwnConfirmed?: Map<string, OwnTraffic>;
  __consoleOwnShareTimer?: ReturnType<typeof setInterval>;
  __consoleOwnShareTurn?: Promise<void>;
};

/**
 * Runs `run` when no share and no sample read of this process is under way. A sample that read the
 * shared sum while a share of this process was in Redis but not yet confirmed here would count that
 * share twice, and the next sample's step would then leave out less than the console sent: its own
 * bursts showed through ops/s.
 */
function inTurn<T>(run: () => Promise<T>): Promise<T> {
  const result = (globalShare.__consoleOwnShareTurn ?? Promise.resolve()).then(run);
  globalShare.__consoleOwnShareTurn = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

/** What this process has sent to console state, per connection (in flight included). */
function shared(): Map<string, OwnTraffic> {
  globalShare.__consoleOwnShared ??= new Map();
  return globalShare.__consoleOwnShared;
}

/** What console state has confirmed adding of this process's counts, per connection. */
function confirmed(): Map<string, OwnTraffic> {
  globalShare.__consoleOwnConfirmed ??= new Map();
  return globalShare.__consoleOwnConfirmed;
}

export function ownTrafficKey(connectionId: string): string {
  return stateKey("metrics", "own", connectionId);
}

function current(connectionId: string): OwnTraffic {
  const reads = ownReads(connectionId);
  const commands = ownCommands(connectionId);
  return { ...reads, commands: commands.total, calls: commands.calls };
}

function difference(after: OwnTraffic, before: OwnTraffic | undefined): OwnTraffic {
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.calls)) {
    const added = count - (before?.calls[name] ?? 0);
    if (added > 0) calls[name] = added;
  }
  return {
    hits: after.hits - (before?.hits ?? 0),
    misses: after.misses - (before?.misses ?? 0),
    commands: after.commands - (before?.commands ?? 0),
    calls,
  };
}

/**
 * Adds this process's own traffic since the last call to console state; a failed write is retried
 * next time. Unless `always`, sharing only its own last share (HINCRBY) and answers (PUBLISH) waits.
 */
export function shareOwnTraffic(always = false): Promise<void> {
  return inTurn(() => shareNow(always));
}

async function shareNow(always: boolean): Promise<void> {
  await Promise.all(
    ownTrafficConnections().map(async (connectionId) => {
      const now = current(connectionId);
      const before = shared().get(connectionId);
      const added = difference(now, before);
      // Sharing is a command too (HINCRBY, and PUBLISH for an answer): with nothing else new, waiting
      // keeps an idle console from writing every second just to report its own last report. An
      // answer to a mark shares them, or they would count as the application's commands.
      const onlySharing = Object.keys(added.calls).every((name) => name === "hincrby" || name === "publish");
      if (added.hits === 0 && added.misses === 0 && added.commands === 0) return;
      if (!always && onlySharing) return;
      // Taken as shared at once, so a call running beside this one does not add it twice.
      shared().set(connectionId, now);
      const key = ownTrafficKey(connectionId);
      try {
        await withState(async (state) => {
          const batch = state.pipeline();
          for (const field of ["hits", "misses", "commands"] as const) {
            if (added[field] > 0) batch.hincrby(key, field, added[field]);
          }
          for (const [name, count] of Object.entries(added.calls)) batch.hincrby(key, `call:${name}`, count);
          const replies = await batch.exec();
          const failed = replies?.find(([error]) => error);
          if (failed?.[0]) throw failed[0];
        });
        const sent = shared().get(connectionId);
        if (sent === now) confirmed().set(connectionId, now);
      } catch {
        if (before) shared().set(connectionId, before);
        else shared().delete(connectionId);
      }
    }),
  );
}

/** Every instance's own traffic on a connection so far, as console state holds it. */
export async function readSharedOwnTraffic(connectionId: string): Promise<OwnTraffic> {
  // A hash of a few dozen fields at most: the console's own command names.
  // The raw reply (a flat array), so lib/redis/own-reads tells a missing hash (a miss) from a hit.
  const reply = (await withState((state) => state.call("HGETALL", ownTrafficKey(connectionId)))) as string[];
  const flat: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) flat[reply[i]!] = reply[i + 1]!;
  const calls: Record<string, number> = {};
  for (const [field, value] of Object.entries(flat)) {
    if (field.startsWith("call:")) calls[field.slice(5)] = Number(value);
  }
  return {
    hits: Number(flat.hits ?? 0),
    misses: Number(flat.misses ?? 0),
    commands: Number(flat.commands ?? 0),
    calls,
  };
}

function minus(total: OwnTraffic, part: OwnTraffic | undefined): OwnTraffic {
  const calls: Record<string, number> = {};
  for (const [name, count] of Object.entries(total.calls)) {
    calls[name] = Math.max(0, count - (part?.calls[name] ?? 0));
  }
  return {
    hits: Math.max(0, total.hits - (part?.hits ?? 0)),
    misses: Math.max(0, total.misses - (part?.misses ?? 0)),
    commands: Math.max(0, total.commands - (part?.commands ?? 0)),
    calls,
  };
}

function plus(a: OwnTraffic, b: OwnTraffic): OwnTraffic {
  const calls = { ...a.calls };
  for (const [name, count] of Object.entries(b.calls)) calls[name] = (calls[name] ?? 0) + count;
  return { hits: a.hits + b.hits, misses: a.misses + b.misses, commands: a.commands + b.commands, calls };
}

/**
 * The console's own traffic for a sample, marked with the sampler's `token` (this process's counts
 * compare only with its own samples): this process's exact counts plus what the other instances
 * had sent when they heard of the sample's `mark`, or this process's alone while console state is
 * away. Called right after INFO's reply; publishes the mark unless INFO's pipeline carried it.
 */
export async function ownTrafficForSample(
  connectionId: string,
  token: number,
  mark: SampleMark | null,
): Promise<OwnTraffic & { by: number; shared?: true }> {
  // Replies that arrived with INFO's on this process's other connections are counted first.
  await new Promise((resolve) => setImmediate(resolve));
  const mine = current(connectionId);
  if (mark) {
    if (!mark.published) {
      await withState((state) => state.publish(mark.channel, mark.message))
        .then(() => (mark.published = true))
        .catch(() => undefined);
    }
    if (mark.published) await answersTo(mark);
  }
  // What this process shared before is confirmed once no share of its own is in flight, so the
  // other instances' part is the sum less that.
  return inTurn(async () => {
    try {
      const others = minus(await readSharedOwnTraffic(connectionId), confirmed().get(connectionId));
      return { by: token, shared: true, ...plus(mine, others) };
    } catch {
      return { by: token, ...mine };
    }
  });
}

/**
 * Shares this process's own traffic every second from now on, and whenever a sampler marks a
 * sample (once per process; the timer never holds it open).
 */
export function startSharingOwnTraffic(): void {
  if (globalShare.__consoleOwnShareTimer) return;
  answerMarks(() => shareOwnTraffic(true));
  globalShare.__consoleOwnShareTimer = setInterval(() => void shareOwnTraffic(), SHARE_INTERVAL_MS);
  globalShare.__consoleOwnShareTimer.unref();
}
