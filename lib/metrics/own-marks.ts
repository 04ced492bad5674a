import "server-only";
import { stateKey } from "@/lib/console-state";
import { processToken } from "@/lib/metrics/lease";
import type { RedisClient } from "@/lib/redis/client";
import { withState } from "@/lib/redis/gate";
import { createDedicatedStateClient } from "@/lib/redis/registry";

// Marks: how the other console instances tell a sampler what they had sent when it read INFO
// (lib/metrics/own-share.ts). The sampler publishes a mark per sample; every process shares its
// own traffic when the mark reaches it, then answers; the sampler waits for the processes that
// answered its last mark. One subscriber per process, on a connection of its own.
//
//   channels  <prefix>metrics:own-marks, <prefix>metrics:own-answers
//   message   {"c": connection, "m": mark, "p": the sending process's token}

/** How long a sampler waits for the instances' answers to its mark, at most. */
const MARK_WAIT_MS = 250;

const globalMarks = globalThis as unknown as { __consoleOwnMarks?: Marks };

/** A sample's mark, for its INFO's pipeline to carry where console state is on the same server. */
export interface SampleMark {
  id: string;
  channel: string;
  message: string;
  /** Set once published. */
  published: boolean;
}

/** The latest mark of a connection, whoever made it, and who answered it. */
interface Latest {
  id: string;
  from: number;
  answered: Set<number>;
}

/** A sampler waiting for the answers to its mark. */
interface Waiting {
  connectionId: string;
  expected: Set<number>;
  resolve: (() => void) | null;
}

interface Marks {
  /** The subscriber, on both channels. */
  client: RedisClient;
  /**
   * Per connection, its latest mark. Every process follows the marks, so when the lease moves,
   * the new sampler knows whom to wait for: the old one and those that answered it.
   */
  latest: Map<string, Latest>;
  /** This process's marks still waited for, by mark. */
  waiting: Map<string, Waiting>;
  sequence: number;
  /** Shares this process's traffic, once it answers marks (answerMarks). */
  share: (() => Promise<void>) | null;
}

interface MarkMessage {
  /** The connection. */
  c: string;
  /** The mark. */
  m: string;
  /** The process that sent the message. */
  p: number;
}

const marksChannel = () => stateKey("metrics", "own-marks");
const answersChannel = () => stateKey("metrics", "own-answers");

function parseMark(message: string): MarkMessage | null {
  try {
    const parsed = JSON.parse(message) as Partial<MarkMessage>;
    if (typeof parsed.c !== "string" || typeof parsed.m !== "string" || typeof parsed.p !== "number")
      return null;
    return { c: parsed.c, m: parsed.m, p: parsed.p };
  } catch {
    return null;
  }
}

/** This process's subscriber to marks and answers (one per process, on a connection of its own). */
function marks(): Marks {
  if (globalMarks.__consoleOwnMarks) return globalMarks.__consoleOwnMarks;
  const client = createDedicatedStateClient("own-marks");
  const state: Marks = { client, latest: new Map(), waiting: new Map(), sequence: 0, share: null };
  client.on("message", (channel: string, message: string) => {
    const mark = parseMark(message);
    if (!mark || mark.p === processToken()) return;
    if (channel === marksChannel()) {
      state.latest.set(mark.c, { id: mark.m, from: mark.p, answered: new Set() });
      if (state.share) answer(mark, state.share);
    } else if (channel === answersChannel()) {
      heard(state, mark);
    }
  });
  // Queued until connected; ioredis subscribes again by itself after a reconnect.
  void client.subscribe(marksChannel(), answersChannel()).catch(() => undefined);
  globalMarks.__consoleOwnMarks = state;
  return state;
}

function heard(state: Marks, answer: MarkMessage): void {
  const latest = state.latest.get(answer.c);
  if (latest?.id === answer.m) latest.answered.add(answer.p);
  const waiting = state.waiting.get(answer.m);
  if (!waiting) return;
  waiting.expected.delete(answer.p);
  if (waiting.expected.size === 0) waiting.resolve?.();
}

/**
 * Another process sampled: share what this one has sent so far, then say so. A process that sent
 * nothing on that connection answers too, so a sampler knows to wait for it once it does.
 */
function answer(mark: MarkMessage, share: () => Promise<void>): void {
  // After the replies that arrived with the mark, so a command Redis ran before INFO is counted.
  setImmediate(() => {
    void share()
      .then(() =>
        withState((state) =>
          state.publish(answersChannel(), JSON.stringify({ c: mark.c, m: mark.m, p: processToken() })),
        ),
      )
      .catch(() => undefined);
  });
}

/**
 * A mark for the next sample of `connectionId`, or null while this process is not subscribed
 * (the sample then goes without). It waits for the process that made the connection's last mark
 * and those that answered it; a process heard of for the first time is waited for from the next
 * mark on.
 */
export function prepareMark(connectionId: string): SampleMark | null {
  const state = marks();
  if (state.client.status !== "ready") return null;
  for (const [id, waiting] of state.waiting)
    if (waiting.connectionId === connectionId) state.waiting.delete(id);
  const last = state.latest.get(connectionId);
  const expected = new Set(last ? [last.from, ...last.answered] : []);
  expected.delete(processToken());
  const id = `${processToken()}:${++state.sequence}`;
  state.latest.set(connectionId, { id, from: processToken(), answered: new Set() });
  state.waiting.set(id, { connectionId, expected, resolve: null });
  return {
    id,
    channel: marksChannel(),
    message: JSON.stringify({ c: connectionId, m: id, p: processToken() }),
    published: false,
  };
}

/** From now on, answers other processes' marks after sharing with `share`. */
export function answerMarks(share: () => Promise<void>): void {
  marks().share = share;
}

/** Resolves once every process expected has answered `mark`, or after MARK_WAIT_MS. */
export function answersTo(mark: SampleMark): Promise<void> {
  const waiting = marks().waiting.get(mark.id);
  if (!waiting || waiting.expected.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, MARK_WAIT_MS);
    waiting.resolve = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** For tests and shutdown. */
export function closeOwnMarks(): void {
  const state = globalMarks.__consoleOwnMarks;
  delete globalMarks.__consoleOwnMarks;
  state?.client.disconnect();
}
