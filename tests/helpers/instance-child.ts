// A second console instance for the several-instances tests: a process of its own, with its own
// module state, on the same Redis (CONSOLE_CONNECTIONS from the parent). INSTANCE_TASK says what it
// does; it prints one JSON line with what the parent needs, then exits — or, for a job, stays
// alive until the parent kills it. Run with node --import tsx --conditions=react-server.
import { recordFailedSignIn } from "@/lib/auth/rate-limit";
import { endStoredSession } from "@/lib/auth/session-store";
import { startFlush } from "@/lib/cache/jobs";
import { listKeys } from "@/lib/keys/list";
import { closeOwnMarks } from "@/lib/metrics/own-marks";
import { shareOwnTraffic, startSharingOwnTraffic } from "@/lib/metrics/own-share";
import { ownReads } from "@/lib/redis/own-reads";
import { closeAllClients, getClient } from "@/lib/redis/registry";

/**
 * A slow link to Redis for this instance: each pipeline (a flush step is one) leaves after `ms`,
 * so a job of a few thousand keys runs for seconds, long enough to follow and cancel.
 */
function slowPipelines(connectionId: string, ms: number): void {
  const client = getClient(connectionId);
  const pipeline = client.pipeline.bind(client);
  client.pipeline = ((...args: Parameters<typeof pipeline>) => {
    const batch = pipeline(...args);
    const exec = batch.exec.bind(batch);
    batch.exec = ((...execArgs: Parameters<typeof exec>) =>
      new Promise((resolve) => setTimeout(resolve, ms)).then(() => exec(...execArgs))) as typeof exec;
    return batch;
  }) as typeof client.pipeline;
}

async function main(): Promise<void> {
  const task = process.env.INSTANCE_TASK;
  const arg = process.env.INSTANCE_ARG ?? "";
  switch (task) {
    case "fail-sign-ins": {
      const [username = "", address = "", times = "1"] = arg.split(",");
      for (let i = 0; i < Number(times); i++) await recordFailedSignIn(username, address);
      console.log(JSON.stringify({ ok: true }));
      break;
    }
    case "end-session": {
      // Signing a session out on this instance, as its sign-out action does.
      console.log(JSON.stringify({ ended: await endStoredSession(arg) }));
      break;
    }
    case "list-keys": {
      // A Keys page on this instance: TYPE and PTTL of every row are keyspace reads in Redis' count.
      const connection = process.env.INSTANCE_CONNECTION ?? "main";
      const page = await listKeys(connection, { pattern: arg });
      await shareOwnTraffic();
      console.log(JSON.stringify({ rows: page.rows.length, ...ownReads(connection) }));
      break;
    }
    case "type-bursts": {
      // The Cache page's namespace sampling, over and over: bursts of TYPE and PTTL at odd times
      // for INSTANCE_ARG seconds, from an instance that answers the sampler's marks like a server.
      const connection = process.env.INSTANCE_CONNECTION ?? "main";
      startSharingOwnTraffic();
      // A server runs for a while before its first burst: its answers are waited for by then.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const client = getClient(connection);
      const until = Date.now() + Number(arg) * 1_000;
      let sent = 0;
      while (Date.now() < until) {
        const batch = client.pipeline();
        for (let i = 0; i < 150; i++) batch.type(`burst:${i}`).pttl(`burst:${i}`);
        await batch.exec();
        sent += 300;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 250));
      }
      await shareOwnTraffic(true);
      closeOwnMarks();
      console.log(JSON.stringify({ sent }));
      break;
    }
    case "start-slow-flush":
      slowPipelines(process.env.INSTANCE_CONNECTION ?? "main", 100);
    // falls through
    case "start-flush": {
      const job = await startFlush(process.env.INSTANCE_CONNECTION ?? "main", {
        pattern: Buffer.from(arg),
        user: "child",
      });
      console.log(JSON.stringify(job));
      // Runs on until killed: the parent proves what happens to a job whose instance dies.
      await new Promise(() => {});
      break;
    }
    default:
      throw new Error(`unknown INSTANCE_TASK ${task}`);
  }
  await closeAllClients();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
