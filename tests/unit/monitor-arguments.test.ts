import { describe, expect, it } from "vitest";
import { parseMonitorArguments } from "@/tests/helpers/monitor";

// The tests' MONITOR reader (tests/helpers/monitor.ts) judges what the console sent by these bytes.
describe("parseMonitorArguments", () => {
  it("reads Redis's quoting back into the bytes sent", () => {
    const args = parseMonitorArguments(String.raw`"set" "a \"b\"\n" "\xff\x00A\\" "\t\r\a\b"`);
    expect(args.map((arg) => arg.toString("hex"))).toEqual([
      Buffer.from("set").toString("hex"),
      Buffer.from('a "b"\n').toString("hex"),
      "ff00415c",
      "090d0708",
    ]);
  });

  it("keeps empty arguments and refuses a line it does not understand", () => {
    expect(parseMonitorArguments(`"get" ""`).map(String)).toEqual(["get", ""]);
    expect(() => parseMonitorArguments(`"get" key`)).toThrow(/not understood/);
    expect(() => parseMonitorArguments(`"get" "key`)).toThrow(/not closed/);
  });
});
