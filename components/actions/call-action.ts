"use client";

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
    return {
      ok: false,
      error: {
        code: "PAYLOAD_TOO_LARGE",
        message: `This is ${formatLimit(size)}; the console takes at most ${formatLimit(ACTION_BODY_LIMIT)} in one request. Nothing was sent, and what you entered is still here: split it into smaller parts.`,
      },
    };
  }
  try {
    return await action(...input);
  } catch {
    return {
      ok: false,
      error: {
        code: "UNAVAILABLE",
        message:
          "The request did not complete: the console may be restarting or unreachable. What you entered is still here; check the page and try again.",
      },
    };
  }
}
