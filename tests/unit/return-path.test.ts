import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/validation/auth";

describe("the return path after sign-in", () => {
  it("keeps paths inside the console", () => {
    expect(safeReturnPath("/models/bW9kZWw?tab=history#x")).toBe("/models/bW9kZWw?tab=history#x");
    expect(safeReturnPath("/%09/evil.example")).toBe("/%09/evil.example");
  });

  it("refuses anything a browser would read as another host", () => {
    for (const path of [
      "/\t/evil.example/phish",
      "/\n/x",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "evil.example",
      "/\r\n/x",
      "",
    ]) {
      expect(safeReturnPath(path), JSON.stringify(path)).toBeNull();
    }
    expect(safeReturnPath(["/a"])).toBeNull();
  });
});
