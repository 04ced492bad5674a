import { describe, expect, it } from "vitest";
import { readNdjson } from "@/components/query/ndjson";

// components/query/ndjson.ts: the browser's reader of a streamed answer, whatever the chunks.

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function all<T>(body: ReadableStream<Uint8Array>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of readNdjson<T>(body)) values.push(value);
  return values;
}

describe("readNdjson", () => {
  it("hands on each line once whole, however the bytes were cut, a character split in two included", async () => {
    const text = '{"key":"缓存:1"}\n{"key":"😀"}\n\n{"n":3}';
    const bytes = new TextEncoder().encode(text);
    const cuts = [...Array(bytes.length).keys()].map((i) => bytes.subarray(i, i + 1));
    expect(await all(bodyOf(cuts))).toEqual([{ key: "缓存:1" }, { key: "😀" }, { n: 3 }]);
    expect(await all(bodyOf([bytes]))).toEqual([{ key: "缓存:1" }, { key: "😀" }, { n: 3 }]);
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('{"line":1}\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const value of readNdjson(body)) {
      expect(value).toEqual({ line: 1 });
      break;
    }
    await Promise.resolve();
    expect(cancelled).toBe(true);
  });
});
