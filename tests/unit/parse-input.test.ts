import { describe, expect, it } from "vitest";
import { describeValue } from "@/lib/values/describe";
import {
  inferKindForNewValue,
  KIND_LABELS,
  parseTypedInput,
  type ParsedInput,
} from "@/lib/values/parse-input";
import type { ValueKind } from "@/lib/values/types";

const decoder = new TextDecoder();

function accepted(result: ParsedInput): { bytes: Uint8Array; normalized: string } {
  if (!result.ok) throw new Error(`expected the input to be accepted, got: ${result.message}`);
  return result;
}

function refused(result: ParsedInput): string {
  if (result.ok) throw new Error(`expected the input to be refused, got bytes for "${result.normalized}"`);
  return result.message;
}

function readFloat32s(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

describe("integer input", () => {
  it.each(["0", "42", "-7", "9223372036854775807", "-9223372036854775808"])("accepts %s as typed", (text) => {
    const { bytes, normalized } = accepted(parseTypedInput(text, "integer"));
    expect(normalized).toBe(text);
    expect(decoder.decode(bytes)).toBe(text);
  });

  it.each([
    ["", /empty value is not a number/],
    ["NaN", /not a number you can store/],
    ["1.5", /not a whole number/],
    ["1.5.3", /not a whole number/],
    ["007", /leading zero: write it as 7/],
    ["-012", /leading zero: write it as -12/],
    [" 42", /spaces at the start or end/],
    ["42 ", /spaces at the start or end/],
    ["+42", /leave the sign out/],
    ["4_2", /digits only/],
    ["0x1f", /digits only/],
    ["9223372036854775808", /too large: Redis integers are 64-bit/],
    ["-9223372036854775809", /too large/],
    ["12345678901234567890", /too large/],
  ])("refuses %j with a message saying why", (text, message) => {
    expect(refused(parseTypedInput(text, "integer"))).toMatch(message);
  });
});

describe("float input", () => {
  it.each(["1.5", "-0.25", "1e-3", "3", "1.50", "-2.5E+10", ".5", "0"])(
    "accepts %s and keeps it as typed",
    (text) => {
      const { bytes, normalized } = accepted(parseTypedInput(text, "float"));
      expect(normalized).toBe(text);
      expect(decoder.decode(bytes)).toBe(text);
    },
  );

  it('refuses "1.5.3" with the example of a valid number', () => {
    expect(refused(parseTypedInput("1.5.3", "float"))).toBe(
      '"1.5.3" is not a number: use digits with at most one decimal point, like 1.5 or -0.02.',
    );
  });

  it.each([
    ["", /Enter a number, like 1.5 or -0.02. An empty value is not a number./],
    ["NaN", /"NaN" is not a number you can store/],
    ["nan", /not a number you can store/],
    ["Infinity", /not a finite number/],
    ["-Infinity", /not a finite number/],
    ["1e400", /too large to be a finite number/],
    ["1,5", /uses a comma: write decimals with a point, like 1.5/],
    [" 1.5", /spaces at the start or end/],
    ["1.5\n", /spaces at the start or end/],
    ["abc", /is not a number/],
    ["1e", /is not a number/],
    ["--1", /is not a number/],
  ])("refuses %j", (text, message) => {
    expect(refused(parseTypedInput(text, "float"))).toMatch(message);
  });

  it("quotes long input only in part, so the message stays readable", () => {
    const message = refused(parseTypedInput(`${"9".repeat(200)}x`, "float"));
    expect(message.length).toBeLessThan(200);
    expect(message).toContain("…");
  });
});

describe("boolean input", () => {
  it.each([
    ["true", "true"],
    ["false", "false"],
    ["TRUE", "true"],
    ["False", "false"],
  ])("accepts %s and stores %s", (text, stored) => {
    const { bytes, normalized } = accepted(parseTypedInput(text, "boolean"));
    expect(normalized).toBe(stored);
    expect(decoder.decode(bytes)).toBe(stored);
  });

  it.each(["", "yes", "1", " true", "tru"])("refuses %j", (text) => {
    expect(refused(parseTypedInput(text, "boolean"))).toMatch(/true or false/);
  });
});

describe("JSON input", () => {
  it("accepts an object and keeps the text exactly as typed", () => {
    const text = '{\n  "layers": [64, 32],\n  "dropout": 0.10\n}';
    const { bytes, normalized } = accepted(parseTypedInput(text, "json"));
    expect(normalized).toBe(text);
    expect(decoder.decode(bytes)).toBe(text);
  });

  it("accepts an array", () => {
    expect(accepted(parseTypedInput("[1, 2, 3]", "json")).normalized).toBe("[1, 2, 3]");
  });

  it.each([
    ['{"a": 1', /not valid JSON/],
    ["{'a': 1}", /not valid JSON/],
    ['{"a": 1,}', /not valid JSON/],
    ["", /empty value is not JSON/],
    ["   ", /empty value is not JSON/],
  ])("refuses JSON that does not parse: %j", (text, message) => {
    expect(refused(parseTypedInput(text, "json"))).toMatch(message);
  });

  it.each(["42", '"text"', "true", "null"])(
    "refuses a bare scalar %s: it would read back as another kind",
    (text) => {
      expect(refused(parseTypedInput(text, "json"))).toMatch(/object \{…\} or an array \[…\]/);
    },
  );
});

describe("text input", () => {
  it.each(["", "hello", "  spaced  ", "emoji 😀 and ü", "line1\nline2"])("accepts %j as UTF-8", (text) => {
    const { bytes, normalized } = accepted(parseTypedInput(text, "text"));
    expect(normalized).toBe(text);
    expect(bytes).toEqual(new TextEncoder().encode(text));
  });

  it("refuses half a surrogate pair rather than writing a replacement character", () => {
    expect(refused(parseTypedInput("bad \ud83d end", "text"))).toMatch(/broken character/);
  });
});

describe("binary input", () => {
  it("round-trips hex with spaces between bytes", () => {
    const { bytes, normalized } = accepted(parseTypedInput("ff 00 01 7F", "binary"));
    expect(Array.from(bytes)).toEqual([0xff, 0x00, 0x01, 0x7f]);
    expect(normalized).toBe("ff 00 01 7f");
    expect(describeValue(Buffer.from(bytes)).display).toBe(normalized);
  });

  it("accepts hex without spaces and with surrounding whitespace", () => {
    expect(Array.from(accepted(parseTypedInput(" deadBEEF\n", "binary")).bytes)).toEqual([
      0xde, 0xad, 0xbe, 0xef,
    ]);
  });

  it.each([
    ["", /Enter the bytes as hex/],
    ["abc", /odd number of hex digits/],
    ["f f", /odd number of hex digits/],
    ["zz", /not hex/],
    ["0x1f", /not hex/],
  ])("refuses %j", (text, message) => {
    expect(refused(parseTypedInput(text, "binary"))).toMatch(message);
  });
});

describe("vector input", () => {
  const values = [0.5, -1.25, 3, 0, 1e-3, -2.75, 100, 0.125];

  it("writes float32 little-endian bytes that decode back to the same values", () => {
    const { bytes, normalized } = accepted(parseTypedInput(JSON.stringify(values), "vector"));
    expect(bytes.byteLength).toBe(values.length * 4);
    const decoded = readFloat32s(bytes);
    decoded.forEach((value, i) => expect(value).toBeCloseTo(values[i]!, 6));
    expect(JSON.parse(normalized)).toEqual(values);
  });

  it("writes bytes that the value reader recognises as the same vector", () => {
    const { bytes } = accepted(parseTypedInput(`[${values.join(", ")}]`, "vector"));
    const view = describeValue(Buffer.from(bytes));
    expect(view.kind).toBe("vector");
    expect(view.vector?.length).toBe(values.length);
    expect(view.vector?.min).toBe(-2.75);
    expect(view.vector?.max).toBe(100);
  });

  it.each([
    ["", /JSON array of numbers/],
    ["[]", /array is empty/],
    ["1, 2, 3", /JSON array of numbers/],
    ['{"a": 1}', /JSON array of numbers in square brackets/],
    ['[1, 2, "3", 4, 5, 6, 7, 8]', /Item 3 is the text "3", not a number/],
    ["[1, 2, null, 4, 5, 6, 7, 8]", /Item 3 is null, not a number/],
    ["[1, 2, [3], 4, 5, 6, 7, 8]", /Item 3 is an array, not a number/],
    ["[1, 2, true, 4, 5, 6, 7, 8]", /Item 3 is true, not a number/],
    ["[1, 2, 1e400, 4, 5, 6, 7, 8]", /Item 3 \(Infinity\) is too large/],
    ["[1, 2, 3]", /at least 8 values .* has 3/],
    ["[1, 2, NaN, 4, 5, 6, 7, 8]", /not a JSON array of numbers/],
  ])("refuses %j", (text, message) => {
    expect(refused(parseTypedInput(text, "vector"))).toMatch(message);
  });
});

describe("kind of a new value", () => {
  it.each<[string, ValueKind]>([
    ["42", "integer"],
    ["-7", "integer"],
    ["1.5", "float"],
    ["1e-3", "float"],
    ["true", "boolean"],
    ["false", "boolean"],
    ['{"a": 1}', "json"],
    ["[1, 2]", "json"],
    ["True", "text"],
    ["1.5.3", "text"],
    ["1,5", "text"],
    ["{not json", "text"],
    ["hello", "text"],
    ["", "text"],
  ])("guesses %j is %s", (text, kind) => {
    expect(inferKindForNewValue(text)).toBe(kind);
  });

  it("every guess is accepted by its own kind and reads back as that kind", () => {
    for (const text of ["42", "1.5", "true", '{"a": 1}', "hello"]) {
      const kind = inferKindForNewValue(text);
      const { bytes } = accepted(parseTypedInput(text, kind));
      expect(describeValue(Buffer.from(bytes)).kind).toBe(kind);
    }
  });

  it("has a label for every kind", () => {
    expect(Object.keys(KIND_LABELS).sort()).toEqual(
      ["binary", "boolean", "float", "integer", "json", "text", "vector"].sort(),
    );
  });
});
