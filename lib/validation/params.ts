import { AppError } from "@/lib/errors";
import { fromKeyRef } from "@/lib/redis/keys";

/** The key named by a route's `[ref]` segment, or INVALID when the link is broken. */
export function keyFromParams(params: Record<string, string | string[] | undefined>, name = "ref"): Buffer {
  const value = params[name];
  const key = typeof value === "string" && value ? fromKeyRef(value) : null;
  if (!key)
    throw new AppError("INVALID", "That link does not name a key. Open the key from its list instead.");
  return key;
}
