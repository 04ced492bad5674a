// Query keys in one place, so a mutation can invalidate by prefix (e.g. everything of a connection).
export const queryKeys = {
  overview: (connectionId: string) => ["connection", connectionId, "overview"] as const,
  audit: () => ["audit"] as const,
};
