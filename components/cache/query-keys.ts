// The Cache page's query keys, under the connection's prefix so a connection switch or a flush
// can invalidate everything of the connection at once.
export const cacheQueryKeys = {
  all: (connectionId: string) => ["connection", connectionId, "cache"] as const,
  namespaces: (connectionId: string, prefix: string) =>
    ["connection", connectionId, "cache", "namespaces", prefix] as const,
  jobs: (connectionId: string) => ["connection", connectionId, "cache", "jobs"] as const,
  database: (connectionId: string) => ["connection", connectionId, "cache", "database"] as const,
  dryRun: (connectionId: string, pattern: string) =>
    ["connection", connectionId, "cache", "dry-run", pattern] as const,
};
