import "server-only";
import { writeAudit } from "@/lib/audit";

// Refused attempts are audited too (DESIGN.md contract 10): a forbidden call, a cross-origin
// request, a rate-limited sign-in. A flood must not fill the log, so each address gets at most
// PER_MINUTE entries a minute; the entry that reaches the cap says the rest go unrecorded.
// Counted in process memory: the cap is per instance, which bounds the log to instances × cap.

export const REFUSALS_PER_MINUTE = 20;
const MAX_ADDRESSES = 10_000;

const globalCounts = globalThis as unknown as {
  __consoleRefusals?: { minute: number; counts: Map<string, number> };
};

function allow(address: string, now: number): "record" | "last" | "skip" {
  const minute = Math.floor(now / 60_000);
  let state = globalCounts.__consoleRefusals;
  if (!state || state.minute !== minute)
    state = globalCounts.__consoleRefusals = { minute, counts: new Map() };
  const seen = state.counts.get(address) ?? 0;
  if (seen >= REFUSALS_PER_MINUTE) return "skip";
  // Too many addresses in one minute (a spread-out flood): one shared bucket for the rest.
  const key = state.counts.size >= MAX_ADDRESSES && !state.counts.has(address) ? "*" : address;
  const count = (state.counts.get(key) ?? 0) + 1;
  state.counts.set(key, count);
  if (count > REFUSALS_PER_MINUTE) return "skip";
  return count === REFUSALS_PER_MINUTE ? "last" : "record";
}

export interface Refusal {
  action: string;
  user: string;
  role?: string;
  address: string;
  /** Why it was refused, in a few words (the error code and what was asked). */
  detail: string;
  target?: string;
}

export async function auditRefusal(refusal: Refusal, now = Date.now()): Promise<void> {
  const verdict = allow(refusal.address, now);
  if (verdict === "skip") return;
  await writeAudit({
    ...refusal,
    outcome: "refused",
    detail:
      verdict === "last"
        ? `${refusal.detail}; further refusals from ${refusal.address} this minute are not recorded`
        : refusal.detail,
  });
}
