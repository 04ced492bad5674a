import { describe, expect, it } from "vitest";
import { describeValue, DISPLAY_CAP } from "@/lib/values/describe";

function float32Blob(values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes;
}

describe("describeValue", () => {
  it("recognises an integer and parses it for sorting and charts", () => {
    expect(describeValue(Buffer.from("42"))).toMatchObject({
      kind: "integer",
      display: "42",
      number: 42,
      size: 2,
    });
  });

  it("recognises a float", () => {
    expect(describeValue(Buffer.from("1.5"))).toMatchObject({ kind: "float", display: "1.5", number: 1.5 });
    expect(describeValue(Buffer.from("-2.5e-3"))).toMatchObject({ kind: "float", number: -0.0025 });
  });

  it("recognises booleans", () => {
    expect(describeValue(Buffer.from("true")).kind).toBe("boolean");
    expect(describeValue(Buffer.from("false")).kind).toBe("boolean");
  });

  it("recognises a JSON object and carries the parsed value", () => {
    const view = describeValue(Buffer.from('{"layers": [64, 32], "activation": "relu"}'));
    expect(view.kind).toBe("json");
    expect(view.json).toEqual({ layers: [64, 32], activation: "relu" });
  });

  it("treats text that only looks like JSON as text", () => {
    expect(describeValue(Buffer.from("{not json")).kind).toBe("text");
  });

  it("recognises plain text, including text with spaces around a number", () => {
    expect(describeValue(Buffer.from("relu"))).toMatchObject({
      kind: "text",
      display: "relu",
      truncated: false,
    });
    expect(describeValue(Buffer.from(" 42")).kind).toBe("text");
  });

  it("shows bytes that are not text as hex", () => {
    expect(describeValue(Buffer.from([0xff, 0x00, 0x01]))).toMatchObject({
      kind: "binary",
      display: "ff 00 01",
      size: 3,
      truncated: false,
    });
  });

  it("recognises a 256-dimension float32 blob with its length, min, max and mean", () => {
    const values = Array.from({ length: 256 }, (_, i) => (i - 128) / 64);
    const view = describeValue(float32Blob(values));
    expect(view.kind).toBe("vector");
    expect(view.size).toBe(1024);
    expect(view.vector?.length).toBe(256);
    expect(view.vector?.min).toBe(-2);
    expect(view.vector?.max).toBeCloseTo(127 / 64, 6);
    expect(view.vector?.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 256, 6);
    expect(view.vector?.sample.length).toBeLessThanOrEqual(64);
    expect(view.display).toMatch(/^float32\[256\] min /);
  });

  it("cuts long text at the cap and says the whole size", () => {
    const text = "a".repeat(DISPLAY_CAP * 3);
    const view = describeValue(Buffer.from(text));
    expect(view).toMatchObject({ kind: "text", truncated: true, size: DISPLAY_CAP * 3 });
    expect(view.display.length).toBe(DISPLAY_CAP);
  });

  it("still calls multi-byte UTF-8 text cut in the middle of a character text", () => {
    // "é" is two bytes; an odd cap ends inside one.
    const text = "é".repeat(100);
    const view = describeValue(Buffer.from(text), 51);
    expect(view.kind).toBe("text");
    expect(view.truncated).toBe(true);
    expect(view.size).toBe(200);
    expect(view.display).toBe("é".repeat(25));
  });

  it("does not call a long number-like value a number once it is cut", () => {
    const view = describeValue(Buffer.from("1".repeat(DISPLAY_CAP + 10)));
    expect(view.kind).toBe("text");
    expect(view.truncated).toBe(true);
  });
});
