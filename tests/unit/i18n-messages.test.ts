import { describe, expect, it } from "vitest";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { negotiateLocale } from "@/lib/i18n/locales";

// Contract 12: one message file per language, the same keys, the same placeholders and tags.

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** ICU arguments (`{name}`, `{count, plural, …}`) and rich-text tags (`<b>`), sorted. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  for (const match of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)) names.add(`{${match[1]}}`);
  for (const match of message.matchAll(/<\/?([A-Za-z_][\w]*)>/g)) names.add(`<${match[1]}>`);
  return [...names].sort();
}

const english = flatten(en as Tree);
const chinese = flatten(zhCN as Tree);

describe("message files", () => {
  it("have the same keys in English and Chinese", () => {
    expect([...chinese.keys()].filter((key) => !english.has(key))).toEqual([]);
    expect([...english.keys()].filter((key) => !chinese.has(key))).toEqual([]);
  });

  it("use the same placeholders and tags in both languages", () => {
    const differing = [...english].filter(([key, text]) => {
      const other = chinese.get(key);
      return other !== undefined && placeholders(text).join() !== placeholders(other).join();
    });
    expect(differing.map(([key]) => key)).toEqual([]);
  });

  it("have no empty messages, and Chinese messages are written in Chinese", () => {
    expect([...english].filter(([, text]) => !text.trim()).map(([key]) => key)).toEqual([]);
    const untranslated = [...chinese].filter(
      ([key, text]) => text === english.get(key) && /[A-Za-z]{3}/.test(text),
    );
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });
});

describe("negotiateLocale", () => {
  it.each([
    [null, "en"],
    ["", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh-TW,en;q=0.5", "en"],
    ["zh-Hant", "en"],
    ["en-US,en;q=0.9,zh-CN;q=0.8", "en"],
    ["fr-FR,zh-CN;q=0.7,en;q=0.5", "zh-CN"],
    ["de,fr", "en"],
    ["en;q=0.1,zh;q=0.9", "zh-CN"],
    ["zh;q=0", "en"],
    ["*", "en"],
  ])("%j reads as %s", (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});
