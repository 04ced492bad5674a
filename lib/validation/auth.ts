import { z } from "zod";
import { says } from "@/lib/validation/messages";

// A tab, newline or backslash anywhere, or a leading `//`, and browsers may read the path as
// another host's address (`/\t/evil.example` is `//evil.example`). So the return path is
// resolved as a browser would, against a placeholder origin, and kept only when it stays there.
const PLACEHOLDER = "http://console.invalid";

/** The same-origin path `path` leads to, or null when it leads anywhere else. Pure; never throws. */
export function safeReturnPath(path: unknown): string | null {
  if (typeof path !== "string" || !path.startsWith("/") || path.length > 2000) return null;
  // Browsers strip tabs and newlines from URLs before parsing; a path holding any is not ours.
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return null;
  let url: URL;
  try {
    url = new URL(path, PLACEHOLDER);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER || path.startsWith("//")) return null;
  return url.pathname + url.search + url.hash;
}

/** A path inside the console to return to after sign-in; anything else falls back to "/". */
export const returnPathSchema = z
  .string()
  .max(2000)
  .transform((path, context) => {
    const safe = safeReturnPath(path);
    if (safe === null) {
      context.addIssue({ code: "custom", message: says("notConsolePath") });
      return z.NEVER;
    }
    return safe;
  });

export const signInSchema = z.object({
  username: z.string().trim().min(1, says("enterUsername")).max(64, says("usernameTooLong")),
  password: z.string().min(1, says("enterPassword")).max(1024, says("passwordTooLong")),
  next: returnPathSchema.optional().catch(undefined),
});

export type SignInInput = z.infer<typeof signInSchema>;

export const endSessionSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, says("notSessionId")),
});

export const sessionsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  count: z.coerce.number().int().min(1).max(200).default(50),
});
