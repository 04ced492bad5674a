import { describe, expect, it } from "vitest";
import {
  csvCell,
  decodeName,
  encodeName,
  isText,
  jsonValue,
  parseCsvRows,
  parseEntries,
  TransferError,
  type TransferFormat,
} from "@/lib/models/transfer";

type Entry = [field: string | Buffer, value: string | Buffer];

const bytes = (value: string | Buffer) => (typeof value === "string" ? Buffer.from(value) : value);

/** The entries as [field, value] text pairs (utf8), to compare with what the user uploaded. */
function parsed(text: string, format: TransferFormat): [string, string][] {
  return parseEntries(text, format).entries.map(({ field, value }) => [
    field.toString("utf8"),
    value.toString("utf8"),
  ]);
}

/** A CSV upload written the way export writes it. */
function toCsv(entries: Entry[]): string {
  const lines = entries.map(([field, value]) => `${csvCell(bytes(field))},${csvCell(bytes(value))}`);
  return ["field,value", ...lines].join("\r\n") + "\r\n";
}

/** A JSON upload written the way export writes it. */
function toJson(entries: Entry[]): string {
  return JSON.stringify(
    Object.fromEntries(entries.map(([field, value]) => [encodeName(bytes(field)), jsonValue(bytes(value))])),
  );
}

const awkward: Entry[] = [
  ["coefficient", "1.5"],
  ["with, comma", 'say "hi", then go'],
  ["multi\nline", "line1\r\nline2\rline3\n"],
  ["carriage\rreturn", "old\rmac"],
  ["base64:looks-encoded", "base64:aGVsbG8="],
  [Buffer.from([0xff, 0x00, 0x0a]), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00])],
  ["emoji 🧠", "🚀"],
  ["empty", ""],
  ["nul inside", "a\u0000b"],
  ["json-looking", '{"a": [1, 2], "$base64": "AA=="}'],
  ["   spaced   ", "  keep my spaces  "],
];

describe("CSV", () => {
  it("reads quoted cells holding commas, doubled quotes and newlines", () => {
    const text = ["field,value", '"a, b","1,5"', 'quote,"say ""hi"""', '"multi', 'line","x\r\ny"', ""].join(
      "\r\n",
    );
    expect(parsed(text, "csv")).toEqual([
      ["a, b", "1,5"],
      ["quote", 'say "hi"'],
      ["multi\r\nline", "x\r\ny"],
    ]);
  });

  it("keeps big integers and trailing zeros exactly, and refuses a field named twice", () => {
    expect(parsed('{"id": 9007199254740993, "lr": 1.50}', "json")).toEqual([
      ["id", "9007199254740993"],
      ["lr", "1.50"],
    ]);
    expect(() => parseEntries('{"a": "2", "a": "3"}', "json")).toThrow('The field "a" appears twice.');
  });

  it("accepts LF, CRLF and CR line ends and skips blank lines", () => {
    expect(parseCsvRows("field,value\na,1\r\n\r\nb,2\rc,3")).toEqual([
      ["field", "value"],
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
  });

  it("decodes base64: cells into the exact bytes, in field names and values", () => {
    const text = "field,value\nbase64:/wAK,base64:3q2+7wA=\n";
    const [entry] = parseEntries(text, "csv").entries;
    expect(entry?.field).toEqual(Buffer.from([0xff, 0x00, 0x0a]));
    expect(entry?.value).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]));
  });

  it("writes text that itself starts with base64: encoded, so it reads back as that text", () => {
    const text = Buffer.from("base64:aGVsbG8=");
    expect(csvCell(text)).toBe(`base64:${text.toString("base64")}`);
    expect(decodeName(encodeName(text))).toEqual(text);
    expect(parsed(toCsv([["base64:x", "base64:aGVsbG8="]]), "csv")).toEqual([
      ["base64:x", "base64:aGVsbG8="],
    ]);
  });

  it("quotes only the cells that need it", () => {
    expect(csvCell(Buffer.from("plain"))).toBe("plain");
    expect(csvCell(Buffer.from("a,b"))).toBe('"a,b"');
    expect(csvCell(Buffer.from('say "hi"'))).toBe('"say ""hi"""');
    expect(csvCell(Buffer.from("a\nb"))).toBe('"a\nb"');
    expect(csvCell(Buffer.from("a\rb"))).toBe('"a\rb"');
    expect(csvCell(Buffer.from([0xff]))).toBe("base64:/w==");
  });

  it("round-trips awkward fields and values byte for byte", () => {
    const entries = parseEntries(toCsv(awkward), "csv").entries;
    expect(entries.map((e) => [e.field, e.value])).toEqual(awkward.map(([f, v]) => [bytes(f), bytes(v)]));
  });

  it("refuses a quoted cell that is never closed", () => {
    expect(() => parseEntries('field,value\na,"unterminated\n', "csv")).toThrow(
      new TransferError("A quoted CSV cell is never closed."),
    );
  });

  it("refuses an upload without the field,value header", () => {
    const refusal = new TransferError('The CSV must start with the header "field,value".');
    expect(() => parseEntries("name,value\na,1\n", "csv")).toThrow(refusal);
    expect(() => parseEntries("field,value,extra\na,1,2\n", "csv")).toThrow(refusal);
    expect(() => parseEntries("a,1\n", "csv")).toThrow(refusal);
    expect(() => parseEntries("", "csv")).toThrow(refusal);
    expect(parsed(" field , value \na,1\n", "csv")).toEqual([["a", "1"]]);
  });

  it("says which line has the wrong number of cells", () => {
    expect(() => parseEntries("field,value\na,1\nb,2,3\n", "csv")).toThrow(
      new TransferError("CSV line 3 has 3 cells, not 2."),
    );
    expect(() => parseEntries("field,value\nlonely\n", "csv")).toThrow(/^CSV line 2 has 1 cells?, not 2\.$/);
  });

  it("refuses a field given twice, also when one copy is base64-encoded", () => {
    expect(() => parseEntries("field,value\na,1\na,2\n", "csv")).toThrow(
      new TransferError('The field "a" appears twice.'),
    );
    expect(() => parseEntries("field,value\na,1\nbase64:YQ==,2\n", "csv")).toThrow(/appears twice/);
  });
});

describe("JSON", () => {
  it("reads text values as they are, even when they start with base64:", () => {
    expect(parsed('{"a": "1.5", "b": "base64:aGVsbG8=", "c": ""}', "json")).toEqual([
      ["a", "1.5"],
      ["b", "base64:aGVsbG8="],
      ["c", ""],
    ]);
  });

  it("reads {$base64} values as the exact bytes", () => {
    const [entry] = parseEntries('{"blob": {"$base64": "3q2+7wA="}}', "json").entries;
    expect(entry?.value).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]));
  });

  it("keeps numbers, objects and arrays as written, and booleans as their text", () => {
    expect(
      parsed(
        '{"n": 1.5, "i": -3, "e": 2e-3, "t": true, "f": false, "o": {"a": [1, 2]}, "l": [1, "x"]}',
        "json",
      ),
    ).toEqual([
      ["n", "1.5"],
      ["i", "-3"],
      ["e", "2e-3"],
      ["t", "true"],
      ["f", "false"],
      ["o", '{"a": [1, 2]}'],
      ["l", '[1, "x"]'],
    ]);
  });

  it("refuses a null value and names the field", () => {
    expect(() => parseEntries('{"a": "1", "bias": null}', "json")).toThrow(
      new TransferError('The value of "bias" is null; remove the field instead, or give it a value.'),
    );
  });

  it("refuses text that is not JSON, and JSON that is not an object of fields", () => {
    expect(() => parseEntries('{"a": ', "json")).toThrow(/^That is not valid JSON \(/);
    const notAnObject = /Give a JSON object of field → value/;
    expect(() => parseEntries('[["a", "1"]]', "json")).toThrow(notAnObject);
    expect(() => parseEntries('"a"', "json")).toThrow(notAnObject);
    expect(() => parseEntries("null", "json")).toThrow(notAnObject);
  });

  it("refuses a field given twice through a base64 alias", () => {
    expect(() => parseEntries('{"a": "1", "base64:YQ==": "2"}', "json")).toThrow(
      new TransferError('The field "a" appears twice.'),
    );
  });

  it("round-trips awkward fields and values byte for byte", () => {
    const entries = parseEntries(toJson(awkward), "json").entries;
    expect(entries.map((e) => [e.field, e.value])).toEqual(awkward.map(([f, v]) => [bytes(f), bytes(v)]));
  });

  it("writes non-UTF-8 values as {$base64} and text as a string", () => {
    expect(jsonValue(Buffer.from([0xff, 0xfe]))).toEqual({ $base64: "//4=" });
    expect(jsonValue(Buffer.from('{"a":1}'))).toBe('{"a":1}');
  });
});

describe("isText", () => {
  it("tells UTF-8 text from other bytes", () => {
    expect(isText(Buffer.from("héllo 🧠"))).toBe(true);
    expect(isText(Buffer.alloc(0))).toBe(true);
    expect(isText(Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(isText(Buffer.from([0xed, 0xa0, 0x80]))).toBe(false);
  });
});
