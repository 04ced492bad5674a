import { describe, expect, it } from "vitest";
import { WriteQueue } from "@/lib/metrics/write-queue";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the metrics write queue", () => {
  it("runs writes one at a time in order, dropping the oldest waiting ones beyond its limit", async () => {
    const done: number[] = [];
    const gate = deferred();
    const queue = new WriteQueue(2, () => {});
    queue.push(async () => {
      await gate.promise;
      done.push(0);
    });
    for (let i = 1; i <= 4; i++) queue.push(async () => void done.push(i));
    // Write 0 runs; 1 and 2 were dropped to keep 3 and 4 within the limit of 2.
    expect(queue.size).toBe(2);
    gate.resolve();
    await expect.poll(() => done).toEqual([0, 3, 4]);
  });

  it("reports a failure once per outage, not once per write", async () => {
    const failures: unknown[] = [];
    const queue = new WriteQueue(10, (error) => failures.push(error));
    const fail = () => Promise.reject(new Error("state is down"));
    queue.push(fail);
    queue.push(fail);
    queue.push(async () => {});
    queue.push(fail);
    await expect.poll(() => queue.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failures).toHaveLength(2);
  });
});
