import { describe, expect, it } from "vitest";
import { modelPatterns, narrowPattern, parseModelKey } from "@/lib/models/naming";
import { escapeGlob } from "@/lib/redis/keys";

const key = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))));

describe("parseModelKey", () => {
  it("reads model:<name>:v<N> as a name and a version", () => {
    expect(parseModelKey(key("model:churn_classifier:v3"))).toEqual({ name: "churn_classifier", version: 3 });
    expect(parseModelKey(key("model:churn_classifier:v12"))).toEqual({
      name: "churn_classifier",
      version: 12,
    });
  });

  it("keeps colons inside the name and takes only the last :v<N> as the version", () => {
    expect(parseModelKey(key("model:team:churn:v2"))).toEqual({ name: "team:churn", version: 2 });
    expect(parseModelKey(key("model:x:v1:v9"))).toEqual({ name: "x:v1", version: 9 });
  });

  it("reads any other hash as a model of its own name with no version", () => {
    expect(parseModelKey(key("linear_regression"))).toEqual({ name: "linear_regression", version: null });
    expect(parseModelKey(key("model:churn:latest"))).toEqual({ name: "model:churn:latest", version: null });
    expect(parseModelKey(key("model:churn:v"))).toEqual({ name: "model:churn:v", version: null });
    expect(parseModelKey(key("model:churn:v1.5"))).toEqual({ name: "model:churn:v1.5", version: null });
    expect(parseModelKey(key("model::v1"))).toEqual({ name: "model::v1", version: null });
    expect(parseModelKey(key("models:churn:v1"))).toEqual({ name: "models:churn:v1", version: null });
  });

  it("does not read a version too large to be one (over nine digits)", () => {
    expect(parseModelKey(key("model:churn:v123456789"))).toEqual({ name: "churn", version: 123456789 });
    expect(parseModelKey(key("model:churn:v1234567890"))).toEqual({
      name: "model:churn:v1234567890",
      version: null,
    });
  });

  it("shows a binary name with its bytes escaped, and still finds the version", () => {
    expect(parseModelKey(key("model:", [0xff, 0x00], "\n🧠:v4"))).toEqual({
      name: "\\xff\\x00\\n🧠",
      version: 4,
    });
    expect(parseModelKey(key("model:", [0xff], ":v", [0xff]))).toEqual({
      name: "model:\\xff:v\\xff",
      version: null,
    });
  });
});

describe("modelPatterns", () => {
  it("finds hashes under model:* unless configured otherwise", () => {
    expect(modelPatterns({})).toEqual(["model:*"]);
    expect(modelPatterns({ CONSOLE_MODEL_PATTERNS: "" })).toEqual(["model:*"]);
    expect(modelPatterns({ CONSOLE_MODEL_PATTERNS: " , ," })).toEqual(["model:*"]);
  });

  it("reads a comma-separated list, trimmed, empty entries dropped", () => {
    expect(modelPatterns({ CONSOLE_MODEL_PATTERNS: " model:* , champion:*,,weights:v?" })).toEqual([
      "model:*",
      "champion:*",
      "weights:v?",
    ]);
  });
});

describe("narrowPattern", () => {
  it("lets Redis filter by the search: model:* with churn scans model:*churn*", () => {
    expect(narrowPattern("model:*", "churn")).toBe("model:*churn*");
  });

  it("keeps the pattern as it is when there is no search", () => {
    expect(narrowPattern("model:*", "")).toBe("model:*");
  });

  it("leaves a pattern that does not end in * alone (the caller filters those rows)", () => {
    expect(narrowPattern("linear_regression", "churn")).toBe("linear_regression");
    expect(narrowPattern("model:v?", "churn")).toBe("model:v?");
  });

  it("keeps an escaped search literal: a*b only matches the text a*b", () => {
    const pattern = narrowPattern("model:*", escapeGlob("a*b[1]?"));
    expect(pattern).toBe("model:*a\\*b\\[1\\]\\?*");
  });
});
