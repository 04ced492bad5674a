import { describe, expect, it } from "vitest";
import { endsInId, looksLikeParameters, PARAMETER_SET_MAX_FIELDS } from "@/lib/models/by-values";

const values = (...texts: string[]) => texts.map((text) => Buffer.from(text));

describe("which hashes look like parameter sets", () => {
  it("takes HSET linear_regression coefficient 1.5 intercept 2.3", () => {
    expect(looksLikeParameters(2, -1, values("1.5", "2.3"))).toBe(true);
  });

  it("needs more than half of the values to be numbers", () => {
    expect(looksLikeParameters(3, -1, values("0.1", "300", "adam"))).toBe(true);
    expect(looksLikeParameters(2, -1, values("s3", "0.5"))).toBe(false);
    expect(looksLikeParameters(2, -1, values("hello", "world"))).toBe(false);
  });

  it("leaves out hashes that expire (cache entries) and big ones", () => {
    expect(looksLikeParameters(2, 60_000, values("1.5", "2.3"))).toBe(false);
    expect(looksLikeParameters(PARAMETER_SET_MAX_FIELDS + 1, -1, values("1", "2"))).toBe(false);
    expect(looksLikeParameters(0, -1, [])).toBe(false);
  });

  it("leaves out one entity's features among many: names ending in an id", () => {
    expect(endsInId(Buffer.from("feature:churn:1042"), ":")).toBe(true);
    expect(endsInId(Buffer.from("user:9f86d081884c7d65"), ":")).toBe(true);
    expect(endsInId(Buffer.from("session:123e4567-e89b-12d3-a456-426614174000"), ":")).toBe(true);
    expect(endsInId(Buffer.from("linear_regression"), ":")).toBe(false);
    expect(endsInId(Buffer.from("ml:ridge:best"), ":")).toBe(false);
  });
});

describe("how far a filtered HSCAN has got", () => {
  it("reads the cursor's reversed bits as the share of the table visited", async () => {
    const { scannedSoFar } = await import("@/lib/models/fields");
    // A 100,000-field hash sits in a 2^17 table; cursor 1 (reversed: 2^16) is half way.
    expect(scannedSoFar(String(1), 100_000)).toBe(50_000);
    expect(scannedSoFar(String(0b11), 100_000)).toBe(75_000);
    expect(scannedSoFar("0", 100_000)).toBe(100_000);
    expect(scannedSoFar("0", 0)).toBe(0);
  });

  it("reads a cursor of any size as Redis's bucket order, in Number and in BigInt alike", async () => {
    const { scannedSoFar } = await import("@/lib/models/fields");
    // The definition: the cursor's low `bits` reversed, over 2^bits, bits growing past the cursor.
    const reference = (cursor: bigint, total: number) => {
      let bits = Math.max(1, Math.ceil(Math.log2(total)));
      while (cursor >> BigInt(bits) > 0n) bits += 1;
      const reversed = BigInt(`0b${cursor.toString(2).padStart(bits, "0").split("").reverse().join("")}`);
      return Math.min(total, Math.round((Number(reversed) / 2 ** bits) * total));
    };
    const cursors = [1n, 2n, 3n, 12_345n, 131_071n, 2n ** 31n + 7n, 2n ** 40n - 1n, 999_999_999_999_999n];
    // Past 15 digits (the BigInt path), up to Redis's 64-bit cursor.
    cursors.push(1_000_000_000_000_000n, 2n ** 53n + 1n, 2n ** 64n - 1n);
    for (const total of [1, 7, 100_000, 3_000_000]) {
      for (const cursor of cursors) {
        expect(scannedSoFar(cursor.toString(), total), `${cursor} of ${total}`).toBe(
          reference(cursor, total),
        );
      }
    }
  });
});
