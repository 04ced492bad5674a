import { createTranslator } from "use-intl/core";
import { beforeEach, describe, expect, it } from "vitest";
import { callAction } from "@/components/actions/call-action";
import { setClientErrorTranslator } from "@/components/i18n/client-errors";
import { messagesFor } from "@/lib/i18n/messages";
import type { Locale } from "@/lib/i18n/locales";
import type { Result } from "@/lib/errors";
import { ACTION_BODY_LIMIT } from "@/lib/request/limits";

/** What the root layout's ClientErrors does in a page of this language. */
function pageIn(locale: Locale): void {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "errors" });
  setClientErrorTranslator((key, values) => (t as (key: string, values?: object) => string)(key, values));
}

describe("callAction", () => {
  beforeEach(() => pageIn("en"));

  it("refuses text past the limit before sending it, saying the limit", async () => {
    let sent = 0;
    const action = async (input: { text: string }): Promise<Result<number>> => {
      sent++;
      return { ok: true, data: input.text.length };
    };
    const result = await callAction(action, { text: "y".repeat(ACTION_BODY_LIMIT) });
    expect(result).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(!result.ok && result.error.message).toContain("the console takes at most 24 MB in one request");
    expect(sent).toBe(0);
    expect(await callAction(action, { text: "y".repeat(1_700_000) })).toEqual({ ok: true, data: 1_700_000 });
    expect(sent).toBe(1);
  });

  it("turns a request that did not complete into an error the page shows beside the form", async () => {
    const result = await callAction(async (): Promise<Result<number>> => {
      throw new TypeError("Failed to fetch");
    });
    expect(result).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
  });

  it("says it in the page's language, the code unchanged", async () => {
    pageIn("zh-CN");
    const result = await callAction(
      async (input: { text: string }): Promise<Result<number>> => {
        return { ok: true, data: input.text.length };
      },
      { text: "y".repeat(ACTION_BODY_LIMIT) },
    );
    expect(result).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE", key: "actionTooLarge" } });
    expect(!result.ok && result.error.message).toContain("控制台单次请求最多接受 24 MB");
  });
});
