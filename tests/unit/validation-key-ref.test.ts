import { describe, expect, it } from "vitest";
import { toKeyRef } from "@/lib/redis/keys";
import { byteRefSchema, keyRefSchema } from "@/lib/validation/key-ref";
import { keyParamsSchema } from "@/lib/validation/params";

// lib/validation/key-ref.ts: a ref is checked and decoded in one step, so lib/ gets the bytes.

const awkward = Buffer.from([0xff, 0x0a, 0x2a, 0x5b, 0x20, 0xf0, 0x9f, 0x98, 0x80]);

describe("key refs", () => {
  it("hands over the exact bytes of a key with \\xff, a newline, * [ space and an emoji", () => {
    expect(keyRefSchema.parse(toKeyRef(awkward))).toEqual(awkward);
  });

  it("refuses a ref that is not canonical base64url, and an empty key but not an empty field name", () => {
    expect(keyRefSchema.safeParse("a+b/").error?.issues[0]?.message).toBe("not a valid key reference");
    expect(keyRefSchema.safeParse("QQ").success).toBe(true);
    expect(keyRefSchema.safeParse("QR").success).toBe(false);
    expect(keyRefSchema.safeParse("").error?.issues[0]?.message).toBe("the key name is empty");
    expect(byteRefSchema.parse("")).toEqual(Buffer.alloc(0));
  });

  it("answers a broken link with what to do, whatever is wrong with it", () => {
    const message = "That link does not name a key. Open the key from its list instead.";
    for (const params of [{}, { ref: "" }, { ref: "%%%" }, { ref: ["a", "b"] }]) {
      expect(keyParamsSchema.safeParse(params).error?.issues[0]?.message).toBe(message);
    }
    expect(keyParamsSchema.parse({ ref: toKeyRef(awkward) }).ref).toEqual(awkward);
  });
});
