import { describe, expect, it } from "vitest";
import { toAppError } from "@/lib/redis/errors";

describe("toAppError", () => {
  it.each([
    ["WRONGTYPE Operation against a key holding the wrong kind of value", "INVALID", 400],
    ["NOPERM User alice has no permissions to run the 'hset' command", "FORBIDDEN", 403],
    ["OOM command not allowed when used memory > 'maxmemory'.", "OUT_OF_MEMORY", 507],
    ["Command timed out", "TIMEOUT", 504],
    ["Connection is closed.", "UNAVAILABLE", 503],
  ])("maps %s to %s", (message, code, status) => {
    const error = toAppError(new Error(message), "prod");
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it("never passes a raw message or stack through", () => {
    const error = toAppError(new Error("secret-key-name exploded at /srv/app.js:12"));
    expect(error.code).toBe("INTERNAL");
    expect(error.message).not.toContain("secret-key-name");
  });

  it("names the connection when it is down", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(toAppError(refused, "analytics").message).toContain('Connection "analytics" is not answering');
  });
});
