import { describe, expect, it } from "vitest";
import {
  MAX_ARG_CHARS,
  MAX_FULL_TEXT_CHARS,
  MAX_SHOWN_ARGS,
  mergeNewestFirst,
  parseSlowLog,
  parseSlowLogConfig,
  parseSlowLogEntry,
  type SlowLogEntry,
} from "@/lib/slowlog/parse";

const b = (text: string | number[]) => (typeof text === "string" ? Buffer.from(text) : Buffer.from(text));

/** One SLOWLOG GET entry as ioredis' callBuffer returns it (RESP2: integers, Buffers). */
function raw(args: Buffer[], extra: Partial<{ id: number; at: number; micros: number }> = {}, client = true) {
  const head = [extra.id ?? 7, extra.at ?? 1_700_000_000, extra.micros ?? 12_345, args];
  return client ? [...head, b("127.0.0.1:50000"), b("worker-1")] : head;
}

function entry(args: Buffer[]): SlowLogEntry {
  const parsed = parseSlowLogEntry(raw(args), "n1");
  if (!parsed) throw new Error("entry did not parse");
  return parsed;
}

describe("slow log entries", () => {
  it("reads id, time, duration, arguments and the client of an entry", () => {
    expect(parseSlowLog([raw([b("GET"), b("result:5")])], "127.0.0.1:7000")).toEqual([
      {
        node: "127.0.0.1:7000",
        id: 7,
        timestamp: 1_700_000_000,
        durationMicros: 12_345,
        args: [
          { text: "GET", bytes: 3, cut: false },
          { text: "result:5", bytes: 8, cut: false },
        ],
        hiddenArgs: 0,
        argCount: 2,
        fullText: "GET result:5",
        clientAddress: "127.0.0.1:50000",
        clientName: "worker-1",
      },
    ]);
  });

  it("has no client before Redis 4, and none for an unnamed client", () => {
    const old = parseSlowLogEntry(raw([b("PING")], {}, false), "n1");
    expect(old).toMatchObject({ clientAddress: null, clientName: null });
    const unnamed = parseSlowLogEntry([1, 2, 3, [b("PING")], b("10.0.0.1:1"), b("")], "n1");
    expect(unnamed).toMatchObject({ clientAddress: "10.0.0.1:1", clientName: null });
  });

  it("escapes binary bytes and quotes arguments with spaces or nothing in them", () => {
    const parsed = entry([b("SET"), b([0x6b, 0xff, 0x00, 0x0a]), b("two words"), b("")]);
    expect(parsed.args.map((arg) => arg.text)).toEqual(["SET", "k\\xff\\x00\\n", '"two words"', '""']);
    expect(parsed.fullText).toBe('SET k\\xff\\x00\\n "two words" ""');
  });

  it("cuts a long argument to the page's width and keeps its length in bytes", () => {
    const parsed = entry([b("SET"), b("key"), b("v".repeat(100))]);
    const value = parsed.args[2]!;
    expect(value).toEqual({ text: `${"v".repeat(MAX_ARG_CHARS)}…`, bytes: 100, cut: true });
    expect(parsed.fullText).toBe(`SET key ${"v".repeat(100)}`);
  });

  it("never cuts inside an escape or an emoji", () => {
    const bytes = Buffer.concat([b("a".repeat(MAX_ARG_CHARS - 2)), b([0xff, 0xfe])]);
    expect(entry([bytes]).args[0]!.text).toBe(`${"a".repeat(MAX_ARG_CHARS - 2)}…`);
    const emoji = b(`${"a".repeat(MAX_ARG_CHARS - 1)}😀😀`);
    expect(entry([emoji]).args[0]!.text).toBe(`${"a".repeat(MAX_ARG_CHARS - 1)}…`);
  });

  it("reads Redis's own cut of a long argument as the argument's true length", () => {
    // Redis keeps 128 bytes of a 300-byte value and notes the other 172.
    const logged = Buffer.concat([b("x".repeat(128)), b("... (172 more bytes)")]);
    const parsed = entry([b("SET"), b("k"), logged]);
    expect(parsed.args[2]).toEqual({ text: `${"x".repeat(MAX_ARG_CHARS)}…`, bytes: 300, cut: true });
    expect(parsed.fullText).toBe(`SET k ${"x".repeat(128)}… (+172 bytes)`);
  });

  it("takes a note-like ending for data when it does not follow exactly 128 bytes", () => {
    const parsed = entry([b("ECHO"), b("short... (3 more bytes)")]);
    expect(parsed.args[1]).toEqual({ text: '"short... (3 more bytes)"', bytes: 23, cut: false });
  });

  it("shows the first arguments and counts the rest, with those Redis left out", () => {
    const few = entry(["MSET", ...Array.from({ length: 10 }, (_, i) => `k${i}`)].map((arg) => b(arg)));
    expect(few.args).toHaveLength(MAX_SHOWN_ARGS);
    expect(few).toMatchObject({ hiddenArgs: 11 - MAX_SHOWN_ARGS, argCount: 11 });

    // A 40-argument command: Redis keeps 31 and says "... (9 more arguments)" in the 32nd.
    const logged = [
      b("RPUSH"),
      ...Array.from({ length: 30 }, (_, i) => b(`e${i}`)),
      b("... (9 more arguments)"),
    ];
    const many = entry(logged);
    expect(many.argCount).toBe(40);
    expect(many.hiddenArgs).toBe(40 - MAX_SHOWN_ARGS);
    expect(many.fullText.endsWith("e29 … (+9 more arguments)")).toBe(true);
  });

  it("keeps the tooltip's text bounded", () => {
    const logged = Array.from({ length: 31 }, () => b(Array(128).fill(0xff)));
    const parsed = entry(logged);
    expect(parsed.fullText.length).toBeLessThanOrEqual(MAX_FULL_TEXT_CHARS);
    expect(parsed.fullText.endsWith("…")).toBe(true);
    expect(parsed.fullText).not.toMatch(/\\x?[0-9a-f]?…$/);
  });

  it("skips malformed entries instead of failing the whole log", () => {
    expect(parseSlowLog([[1, 2], "junk", raw([b("PING")])], "n1")).toHaveLength(1);
    expect(parseSlowLog(null, "n1")).toEqual([]);
  });
});

describe("merging the nodes of a cluster", () => {
  const at = (node: string, id: number, timestamp: number) =>
    parseSlowLogEntry(raw([b("PING")], { id, at: timestamp }), node)!;

  it("puts every node's entries newest first, within the limit", () => {
    const a = [at("a:1", 9, 300), at("a:1", 8, 100)];
    const c = [at("c:1", 2, 250), at("c:1", 1, 100)];
    const merged = mergeNewestFirst([a, c], 3);
    expect(merged.map((e) => [e.node, e.id])).toEqual([
      ["a:1", 9],
      ["c:1", 2],
      ["a:1", 8],
    ]);
  });
});

describe("slow log thresholds", () => {
  it("reads slowlog-log-slower-than and slowlog-max-len from CONFIG GET slowlog-*", () => {
    const reply = [b("slowlog-max-len"), b("128"), b("slowlog-log-slower-than"), b("-1")];
    expect(parseSlowLogConfig(reply)).toEqual({ slowerThanMicros: -1, maxLength: 128 });
  });

  it("leaves a threshold unknown when the reply lacks it", () => {
    expect(parseSlowLogConfig([b("slowlog-max-len"), b("")])).toEqual({
      slowerThanMicros: null,
      maxLength: null,
    });
  });
});
