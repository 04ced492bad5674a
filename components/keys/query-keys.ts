// Query keys of the keys browser, under the connection so switching connections never mixes data.
// `all` is the prefix to invalidate after a delete or a TTL change: every list and tree page.
export const keysQueryKeys = {
  all: (connectionId: string) => ["connection", connectionId, "keys"] as const,
  list: (connectionId: string, pattern: string, type: string, includeConsoleState: boolean) =>
    ["connection", connectionId, "keys", "list", pattern, type, includeConsoleState] as const,
  tree: (connectionId: string, prefix: string, delimiter: string, includeConsoleState: boolean) =>
    ["connection", connectionId, "keys", "tree", prefix, delimiter, includeConsoleState] as const,
  /** One key: its metadata and the pages of its value that were read. */
  key: (connectionId: string, ref: string) => ["connection", connectionId, "key", ref] as const,
};
