import { describe, expect, it } from "vitest";
import { ConfigError, loadConnections } from "@/lib/redis/config";

describe("loadConnections", () => {
  it("makes one connection from REDIS_URL and never shows its password", () => {
    const [connection] = loadConnections({ REDIS_URL: "redis://ml:s3cret@redis.internal:6380/2" });
    expect(connection?.id).toBe("default");
    expect(connection?.address).toBe("redis://redis.internal:6380/2");
    expect(JSON.stringify(connection?.address)).not.toContain("s3cret");
  });

  it("reads several named connections, taking passwords from env vars", () => {
    const list = loadConnections({
      CONSOLE_CONNECTIONS: JSON.stringify([
        {
          id: "prod",
          name: "Production",
          type: "standalone",
          url: "rediss://prod:6379",
          passwordEnv: "PROD_PW",
        },
        { id: "shards", type: "cluster", nodes: [{ host: "10.0.0.1", port: 7000 }] },
        { id: "ha", type: "sentinel", masterName: "mymaster", sentinels: [{ host: "s1", port: 26379 }] },
      ]),
      PROD_PW: "pw-from-env",
    });
    expect(list.map((c) => c.id)).toEqual(["prod", "shards", "ha"]);
    expect(list[0]?.password).toBe("pw-from-env");
    expect(list[1]?.address).toBe("cluster 10.0.0.1:7000");
    expect(list[2]?.address).toBe("sentinel mymaster via s1:26379");
  });

  it("explains what is wrong with a bad config", () => {
    expect(() => loadConnections({ CONSOLE_CONNECTIONS: "[{" })).toThrow(ConfigError);
    expect(() =>
      loadConnections({
        CONSOLE_CONNECTIONS: JSON.stringify([{ id: "x", type: "standalone", url: "http://x" }]),
      }),
    ).toThrow(/url must start with redis/);
    expect(() =>
      loadConnections({
        CONSOLE_CONNECTIONS: JSON.stringify([
          { id: "x", type: "standalone", url: "redis://h", passwordEnv: "MISSING" },
        ]),
      }),
    ).toThrow(/env MISSING, which is unset/);
    expect(() =>
      loadConnections({
        CONSOLE_CONNECTIONS: JSON.stringify([
          { id: "a", type: "standalone", url: "redis://h" },
          { id: "a", type: "standalone", url: "redis://h2" },
        ]),
      }),
    ).toThrow(/unique/);
  });

  it("refuses a plain-text password field in the config", () => {
    expect(() =>
      loadConnections({
        CONSOLE_CONNECTIONS: JSON.stringify([
          { id: "a", type: "standalone", url: "redis://h", password: "x" },
        ]),
      }),
    ).toThrow(ConfigError);
  });
});
