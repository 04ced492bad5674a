import "server-only";
import { scanMatches } from "@/lib/cache/glob-match";
import { consoleStateTest } from "@/lib/console-state";
import type { RedisNode } from "@/lib/redis/client";
import { withClient } from "@/lib/redis/gate";
import { dataNodes } from "@/lib/redis/registry";

// Whether a flush pattern leaves any user key standing. A bounded SCAN without MATCH, on every data
// node side by side, looks for a user key (not the console's own) that the pattern does not match,
// decided by Redis' own matching rules (lib/cache/glob-match), and stops at the first one: for a
// namespace that is within the first batch. When none turns up within the budget, flushing the
// pattern is, as far as the console can tell, flushing the database.

/** Keys examined at most, over every node. */
export const REACH_BUDGET = 20_000;
const SCAN_COUNT = 1_000;

export interface PatternReach {
  /** A user key the pattern does not match was found: flushing it leaves that key. */
  leavesAKey: boolean;
  /** Distinct user keys looked at; when no key is left, the pattern matched every one of them. */
  examined: number;
}

interface Search {
  found: boolean;
}

async function searchNode(
  node: RedisNode,
  pattern: Buffer,
  budget: number,
  isConsoleState: (key: Buffer) => boolean,
  search: Search,
): Promise<number> {
  const seen = new Set<string>();
  let cursor = "0";
  let examined = 0;
  do {
    const count = Math.max(1, Math.min(SCAN_COUNT, budget - examined));
    const [next, keys] = (await node.callBuffer("SCAN", cursor, "COUNT", count)) as [Buffer, Buffer[]];
    examined += Math.max(count, keys.length);
    cursor = next.toString();
    for (const key of keys) {
      if (isConsoleState(key)) continue;
      seen.add(key.toString("latin1"));
      if (!scanMatches(pattern, key)) {
        search.found = true;
        break;
      }
    }
  } while (cursor !== "0" && examined < budget && !search.found);
  return seen.size;
}

/** Looks for a user key the pattern leaves, `budget` keys examined at most over every data node. */
export async function patternReach(
  connectionId: string,
  pattern: Buffer,
  budget = REACH_BUDGET,
): Promise<PatternReach> {
  const isConsoleState = consoleStateTest();
  return withClient(connectionId, async (client) => {
    const nodes = dataNodes(client);
    const share = Math.ceil(budget / Math.max(nodes.length, 1));
    const search: Search = { found: false };
    const examined = await Promise.all(
      nodes.map((node) => searchNode(node, pattern, share, isConsoleState, search)),
    );
    return { leavesAKey: search.found, examined: examined.reduce((sum, n) => sum + n, 0) };
  });
}
