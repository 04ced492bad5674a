"use client";

import { clientErrorText } from "@/components/i18n/client-errors";
import type { Result } from "@/lib/errors";
import { ACTION_BODY_LIMIT, formatLimit } from "@/lib/request/limits";

// Every server action a page calls goes through here, so what a person typed is never lost to a
// request that did not complete: a server action that cannot be sent, or whose answer is not the
// action's own (a body over the limit, the console restarting, a network failure), becomes an
// ordinary error result the page shows beside the form it came from, instead of replacing the page.

const encoder = new TextEncoder();

export async function callAction<A extends unknown[], T>(
  action: (...input: A) => Promise<Result<T>>,
  ...input: A
): Promise<Result<T>> {
  const size = encoder.encode(JSON.stringify(input)).length;
  if (size > ACTION_BODY_LIMIT) {
    const values = { size: formatLimit(size), limit: formatLimit(ACTION_BODY_LIMIT) };
    const key = "actionTooLarge";
    return {
      ok: false,
      error: { code: "PAYLOAD_TOO_LARGE", message: clientErrorText(key, values), key, values },
    };
  }
  try {
    return await action(...input);
  } catch {
    const key = "actionNotCompleted";
    return { ok: false, error: { code: "UNAVAILABLE", message: clientErrorText(key), key } };
  }
}
