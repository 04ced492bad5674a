// Query keys of the Monitor page, under the connection so switching connections never mixes data.
export const monitorKeys = {
  channels: (connectionId: string, match: string) =>
    ["connection", connectionId, "monitor", "channels", match] as const,
  streams: (connectionId: string, search: string) =>
    ["connection", connectionId, "streams", "list", search] as const,
  /** Everything about one stream: entry pages and groups. */
  stream: (connectionId: string, ref: string) => ["connection", connectionId, "stream", ref] as const,
  streamEntries: (connectionId: string, ref: string, start: string, end: string) =>
    ["connection", connectionId, "stream", ref, "entries", start, end] as const,
  streamGroups: (connectionId: string, ref: string) =>
    ["connection", connectionId, "stream", ref, "groups"] as const,
};
