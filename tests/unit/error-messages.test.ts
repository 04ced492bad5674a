import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IntlMessageFormat } from "intl-messageformat";
import { z } from "zod";
import { AppError, translateBody, type ErrorKey } from "@/lib/errors";
import en from "@/lib/i18n/messages/en.json";
import zhCN from "@/lib/i18n/messages/zh-CN.json";
import { errorTranslatorFor, localeOfHeaders } from "@/lib/i18n/server";
import { toAppError } from "@/lib/redis/errors";
import { InputError, parseInput, parseLink } from "@/lib/validation/describe";
import { signInSchema } from "@/lib/validation/auth";
import { keyParamsSchema } from "@/lib/validation/params";
import { publishSchema } from "@/lib/validation/monitor";

// Contract 12: errors keep their code and answer in the caller's language; English stays as it was.

const zh = errorTranslatorFor("zh-CN");
const english = errorTranslatorFor("en");

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("error messages in the caller's language", () => {
  it("a Redis error names its connection in Chinese, with the same code", () => {
    const error = toAppError(new Error("OOM command not allowed when used memory > 'maxmemory'."), "main");
    expect(error.code).toBe("OUT_OF_MEMORY");
    expect(error.message).toBe(
      'Connection "main" is out of memory (maxmemory reached); free memory or raise maxmemory, then retry.',
    );
    const body = error.toBody(zh);
    expect(body).toMatchObject({ code: "OUT_OF_MEMORY", key: "outOfMemory" });
    expect(body.message).toBe(
      "连接「main」内存不足（已达到 maxmemory）；请释放内存或调高 maxmemory 后重试。",
    );
  });

  it("without a connection name, Redis is named, with a space before Chinese", () => {
    const error = toAppError(new Error("READONLY You can't write against a read only replica."));
    expect(error.message).toBe("Redis is a read-only replica right now; retry after failover.");
    expect(error.toBody(zh).message).toBe("Redis 当前是只读副本；请在故障转移完成后重试。");
  });

  it.each<[ErrorKey, Record<string, string | number> | undefined, string, string]>([
    ["wrongCredentials", undefined, "Wrong username or password.", "用户名或密码错误。"],
    [
      "tooManySignIns",
      { minutes: 1 },
      "Too many failed sign-ins. Try again in 1 minute.",
      "登录失败次数过多。请在 1 分钟后重试。",
    ],
    [
      "tooManySignIns",
      { minutes: 5 },
      "Too many failed sign-ins. Try again in 5 minutes.",
      "登录失败次数过多。请在 5 分钟后重试。",
    ],
    [
      "roleNeeded",
      { needed: "admin", role: "operator" },
      "This needs the admin role; you are signed in as operator.",
      "此操作需要管理员角色；你当前登录的角色是操作员。",
    ],
    [
      "conflict",
      { names: "coefficient", more: 0 },
      "Someone else changed coefficient since you loaded it. Nothing was written; review the current value and try again.",
      "在你加载之后，其他人修改了 coefficient。未写入任何内容；请查看当前值后再试。",
    ],
    [
      "conflict",
      { names: "a, b, c", more: 2 },
      "Someone else changed a, b, c and 2 more since you loaded it. Nothing was written; review the current value and try again.",
      "在你加载之后，其他人修改了 a, b, c 及另外 2 个字段。未写入任何内容；请查看当前值后再试。",
    ],
    [
      "tooManyChanges",
      { max: 10_000, count: 12_345 },
      "One edit applies at most 10,000 changes; this one has 12,345. Split it into smaller batches.",
      "一次编辑最多应用 10,000 处更改，而这次有 12,345 处。请拆分成更小的批次。",
    ],
    [
      "uploadNotObject",
      undefined,
      'Give a JSON object of field → value, like {"coefficient": "1.7"}.',
      '请提供一个“字段 → 值”的 JSON 对象，例如 {"coefficient": "1.7"}。',
    ],
  ])("%s reads in English and Chinese", (key, values, englishText, chineseText) => {
    const error = AppError.of("INVALID", key, values);
    expect(error.message).toBe(englishText);
    expect(error.toBody().message).toBe(englishText);
    expect(error.toBody(english).message).toBe(englishText);
    expect(error.toBody(zh).message).toBe(chineseText);
  });

  it("a stored error (a job's) is said again in each reader's language", () => {
    const stored = AppError.of("UNAVAILABLE", "jobInstanceStopped", { kind: "flush", count: 42 }).toBody();
    expect(stored.message).toBe(
      "The console instance running this job stopped answering, so the job stopped; 42 keys were deleted by then.",
    );
    expect(translateBody(stored, zh).message).toBe(
      "运行此任务的控制台实例停止了响应，因此任务已停止；此前已删除 42 个键。",
    );
    expect(translateBody({ code: "INTERNAL", message: "old" }, zh).message).toBe("old");
  });
});

describe("validation errors in the caller's language", () => {
  it("a schema's own message is said in Chinese, field names as they are", () => {
    const error = thrown(() => parseInput(signInSchema, { username: "", password: "x" }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe("Please correct the input — username: enter your username.");
    expect(error.toBody(zh).message).toBe("请修正输入：username：请输入用户名。");
  });

  it("zod's own words come from zod's Chinese locale, for this parse only", () => {
    const schema = z.object({ count: z.number() });
    const error = thrown(() => parseInput(schema, { count: "x" }));
    expect(error.message).toBe(
      "Please correct the input — count: Invalid input: expected number, received string.",
    );
    expect(error.toBody(zh).message).toMatch(/^请修正输入：count：无效输入/);
    // The global configuration is untouched: the next parse is English again.
    expect(schema.safeParse({ count: "x" }).error?.issues[0]?.message).toMatch(/^Invalid input/);
  });

  it("several problems are joined with Chinese punctuation", () => {
    const error = thrown(() =>
      parseInput(publishSchema, { conn: "main", channel: "", payload: "{", format: "json" }),
    );
    expect(error.toBody(zh).message).toBe(
      "请修正输入：channel：请输入频道名称；payload：消息内容不是有效的 JSON；请修正，或以文本形式发送。",
    );
  });

  it("a link that does not parse answers in the schema's own words", () => {
    const error = thrown(() => parseLink(keyParamsSchema, { ref: "" }));
    expect(error.message).toBe("That link does not name a key. Open the key from its list instead.");
    expect(error.toBody(zh).message).toBe("该链接没有指向某个键。请从列表中打开该键。");
  });
});

describe("the front door's language", () => {
  it.each([
    [undefined, "zh-CN,zh;q=0.9", "zh-CN"],
    ["console_lang=en; other=1", "zh-CN", "en"],
    ["a=b; console_lang=zh-CN", "en-US", "zh-CN"],
    ["console_lang=fr", undefined, "en"],
  ])("cookie %j and Accept-Language %j read as %s", (cookie, accept, locale) => {
    expect(localeOfHeaders(cookie, accept)).toBe(locale);
  });
});

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[key, value] as [string, string]] : flatten(value),
  );
}

describe("every error key used in lib/ exists", () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return sources(file);
      return /\.tsx?$/.test(name) ? [file] : [];
    });
  }

  const root = path.resolve(__dirname, "../..");
  const files = [
    ...sources(path.join(root, "lib")),
    ...sources(path.join(root, "app/api")),
    path.join(root, "proxy.ts"),
  ];
  const used = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/AppError\.of\(\s*"[A-Z_]+",\s*"([\w.]+)"/g)) used.add(match[1]!);
    for (const match of text.matchAll(/\bsays\(\s*"(\w+)"/g)) used.add(`input.${match[1]!}`);
    for (const match of text.matchAll(/TransferError\.of\(\s*"(\w+)"/g)) used.add(match[1]!);
  }

  it("finds the keys", () => {
    expect(used.size).toBeGreaterThan(60);
  });

  it("names only messages that exist in English", () => {
    const missing = [...used].filter((key) => {
      const value = key
        .split(".")
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], en.errors);
      return typeof value !== "string";
    });
    expect(missing).toEqual([]);
  });

  it("has no message left as a literal AppError text", () => {
    const literal = files.filter((file) =>
      /new AppError\(\s*"[A-Z_]+",\s*["`]/.test(readFileSync(file, "utf8")),
    );
    expect(literal.map((file) => path.relative(root, file))).toEqual([]);
  });

  it("every message parses as ICU in both languages", () => {
    const unparsable = [en.errors, zhCN.errors].flatMap((messages, index) =>
      flatten(messages).filter(([, text]) => {
        try {
          new IntlMessageFormat(text, index === 0 ? "en" : "zh-CN");
          return false;
        } catch {
          return true;
        }
      }),
    );
    expect(unparsable).toEqual([]);
  });
});
