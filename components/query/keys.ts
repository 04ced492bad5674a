// Query keys in one place, so a mutation can invalidate by prefix (e.g. everything of a connection).
export const queryKeys = {
  overview: (connectionId: string) => ["connection", connectionId, "overview"] as const,
  audit: () => ["audit"] as const,
  models: (connectionId: string, search: string) => ["connection", connectionId, "models", search] as const,
  /** Everything about one model: its fields pages, history and comparisons. */
  model: (connectionId: string, ref: string) => ["connection", connectionId, "model", ref] as const,
  modelFields: (connectionId: string, ref: string, match: string) =>
    ["connection", connectionId, "model", ref, "fields", match] as const,
  modelHistory: (connectionId: string, ref: string) =>
    ["connection", connectionId, "model", ref, "history"] as const,
  compare: (connectionId: string, a: string, b: string) =>
    ["connection", connectionId, "compare", a, b] as const,
};
