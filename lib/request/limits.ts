// Body limits (DESIGN.md contract 8), shared by the server and the pages that send bodies, so a
// page can say the limit before it sends and keep what the user typed.

/** Server actions: the bulk editor takes up to 20 MB of text; JSON escaping adds some. */
export const ACTION_BODY_LIMIT = 24 * 1024 * 1024;
/** Anything else: route handlers take small JSON bodies (their own limit is lower still). */
export const MAX_PLAIN_BODY = 64 * 1024;

export function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
