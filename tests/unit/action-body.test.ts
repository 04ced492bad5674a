import { describe, expect, it } from "vitest";
import { actionBodyProblem } from "@/lib/request/action-body";

const TEXT = "text/plain;charset=UTF-8";

describe("server action bodies", () => {
  it("accepts what the console's pages send", () => {
    expect(actionBodyProblem(TEXT, JSON.stringify([{ conn: "main", pattern: "result:*" }]))).toBeNull();
    expect(actionBodyProblem(TEXT, '[{"next":"$undefined","value":"$$5 price"}]')).toBeNull();
    expect(actionBodyProblem(TEXT, "[]")).toBeNull();
    expect(actionBodyProblem(TEXT, '["$n12", "$n-5"]')).toBeNull();
  });

  it("refuses what Next's decoder would answer with a 500", () => {
    expect(actionBodyProblem(TEXT, "not json{")).toMatch(/not valid JSON/);
    expect(actionBodyProblem(TEXT, "")).toMatch(/not valid JSON/);
    expect(actionBodyProblem(TEXT, '{"a":1}')).toMatch(/JSON array/);
    expect(actionBodyProblem(TEXT, '["$1"]')).toMatch(/references/);
    expect(actionBodyProblem(TEXT, '[{"deep":{"x":["$Q2"]}}]')).toMatch(/references/);
    // React calls BigInt on `$n…`; anything but digits throws there.
    for (const body of ['["$n1x"]', '["$n1.5"]', '[{"conn":"$n9z"}]']) {
      expect(actionBodyProblem(TEXT, body), body).toMatch(/references/);
    }
    expect(actionBodyProblem("multipart/form-data; boundary=x", "[]")).toMatch(/text\/plain/);
    expect(actionBodyProblem(undefined, "[]")).toMatch(/text\/plain/);
  });
});
