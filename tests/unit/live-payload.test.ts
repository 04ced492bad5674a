import { describe, expect, it } from "vitest";
import { encodeWire, toPayload } from "@/lib/live/payload";
import { PAYLOAD_CAP, type WireMessage } from "@/lib/live/protocol";

describe("live payloads", () => {
  it("keeps UTF-8 text as text and shows other bytes as hex", () => {
    expect(toPayload(Buffer.from('{"n":1} ✓'))).toEqual({
      encoding: "text",
      text: '{"n":1} ✓',
      size: 11,
      truncated: false,
    });
    expect(toPayload(Buffer.from([0xff, 0x00, 0x01]))).toEqual({
      encoding: "hex",
      text: "ff0001",
      size: 3,
      truncated: false,
    });
  });

  it("cuts long payloads at the cap, even inside a multi-byte character, and says so", () => {
    const payload = toPayload(Buffer.from("é".repeat(PAYLOAD_CAP)));
    expect(payload).toMatchObject({ encoding: "text", size: PAYLOAD_CAP * 2, truncated: true });
    expect(payload.text).toBe("é".repeat(PAYLOAD_CAP / 2));
  });

  it("writes exactly what JSON.stringify would, quotes and newlines escaped", () => {
    const messages: WireMessage[] = [
      {
        at: 1,
        source: "channel",
        channel: "data_channel",
        payload: toPayload(Buffer.from('a"b\n\ndata: x')),
      },
      { at: 2, source: "pattern", channel: 'c"h', pattern: "c*", payload: toPayload(Buffer.from([0xff])) },
      { at: 3, source: "stream", channel: "s", entryId: "1-0", payload: toPayload(Buffer.from("{}")) },
    ];
    for (const message of messages) expect(encodeWire(message)).toBe(JSON.stringify(message));
  });
});
