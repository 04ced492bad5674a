import { describe, expect, it } from "vitest";
import { formattersFor } from "@/lib/i18n/format";

// Figures in each language: Intl's digits and units, the same precision rules in both.

const en = formattersFor("en");
const zh = formattersFor("zh-CN");

describe("formatters", () => {
  it("keep English exactly as the console wrote it before", () => {
    expect(en.bytes(0)).toBe("0 B");
    expect(en.bytes(1023)).toBe("1023 B");
    expect(en.bytes(1536)).toBe("1.5 KB");
    expect(en.bytes(150 * 1024 * 1024)).toBe("150 MB");
    expect(en.duration(3 * 86400 + 4 * 3600)).toBe("3d 4h");
    expect(en.duration(125)).toBe("2m 5s");
    expect(en.duration(7)).toBe("7s");
    expect(en.span(125_000)).toBe("2 min 5 s");
    expect(en.span(3_780_000)).toBe("1 h 3 min");
    expect(en.count(1234567)).toBe("1,234,567");
    expect(en.percent(0.1234)).toBe("12.3%");
    expect(en.rate(41.26)).toBe("41.3");
    expect(en.rate(1234.4)).toBe("1234");
    expect(en.measure(1.5)).toBe("1.5");
    expect(en.measure(1e-7)).toBe("1.000e-7");
    expect(en.time(Date.UTC(2026, 11, 4, 21, 41, 37))).toBe("2026-12-04 21:41:37 UTC");
    expect(en.clockMs(Date.UTC(2026, 11, 4, 21, 41, 37, 123))).toBe("21:41:37.123");
  });

  it("give Chinese its own units with the same precision", () => {
    expect(zh.bytes(1536)).toBe("1.5 KB");
    expect(zh.duration(3 * 86400 + 4 * 3600)).toBe("3天 4小时");
    expect(zh.duration(125)).toBe("2分钟 5秒");
    expect(zh.duration(7)).toBe("7秒");
    expect(zh.span(125_000)).toBe("2分钟 5秒");
    expect(zh.count(1234567)).toBe("1,234,567");
    expect(zh.percent(0.5)).toBe("50.0%");
    expect(zh.duration(Number.NaN)).toBe("—");
  });
});
