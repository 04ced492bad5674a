import { ReplyError } from "ioredis";
import ClusterAllFailedError from "ioredis/built/errors/ClusterAllFailedError";
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

// ioredis builds reply errors from redis-errors' ReplyError (its SimpleError subclass names itself
// "ReplyError"); a refused MULTI/EXEC rejects with the EXECABORT reply and the queued commands'
// own errors in `previousErrors` (node_modules/ioredis/built/transaction.js).
function replyError(message: string): Error {
  return new ReplyError(message) as Error;
}

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

describe("toAppError on wrapped failures", () => {
  it("maps a MULTI refused for lack of memory (EXECABORT + OOM cause) to OUT_OF_MEMORY", () => {
    const execAbort = Object.assign(
      replyError("EXECABORT Transaction discarded because of previous errors."),
      {
        previousErrors: [replyError(OOM), replyError(OOM)],
      },
    );
    const error = toAppError(execAbort, "prod");
    expect(error.code).toBe("OUT_OF_MEMORY");
    expect(error.status).toBe(507);
    expect(error.message).toBe(toAppError(replyError(OOM), "prod").message);
  });

  it("maps an EXECABORT to the first queued command's error", () => {
    const execAbort = Object.assign(
      replyError("EXECABORT Transaction discarded because of previous errors."),
      {
        previousErrors: [replyError("NOPERM User bob has no permissions to run the 'expire' command")],
      },
    );
    expect(toAppError(execAbort).code).toBe("FORBIDDEN");
  });

  it("answers a clear refusal, not INTERNAL, for an EXECABORT whose cause is unknown", () => {
    const error = toAppError(replyError("EXECABORT Transaction discarded because of previous errors."));
    expect(error.code).toBe("INVALID");
    expect(error.message).not.toContain("EXECABORT");
  });

  it.each([
    // Redis 7: the script's error comes first, then where it happened.
    [`${OOM} script: d8f2fad9f8e86a53d2a6ebd960b33c4972cacc37, on @user_script:1.`, "OUT_OF_MEMORY"],
    // Redis 6 and older wrap it in ERR Error running script.
    [
      `ERR Error running script (call to f_d8f2fad9f8e8): @user_script:1: @user_script: 1: -${OOM} `,
      "OUT_OF_MEMORY",
    ],
    [
      "ERR Error running script (call to f_d8f2fad9f8e8): @user_script:1: -WRONGTYPE Operation against a key holding the wrong kind of value",
      "INVALID",
    ],
    [
      "ERR Error running script (call to f_d8f2): @user_script:1: Script attempted to access a global",
      "INVALID",
    ],
  ])("maps a Lua script failure %s to %s", (message, code) => {
    const error = toAppError(replyError(message), "prod");
    expect(error.code).toBe(code);
    expect(error.message).not.toContain("script");
  });

  it("maps a cluster that lost every node to UNAVAILABLE, or to its last node's error", () => {
    const allFailed = new ClusterAllFailedError("Failed to refresh slots cache.", null);
    expect(toAppError(allFailed).code).toBe("UNAVAILABLE");
    const withCause = new ClusterAllFailedError("Failed to refresh slots cache.", replyError(OOM));
    expect(toAppError(withCause).code).toBe("OUT_OF_MEMORY");
    expect(toAppError(new Error("None of startup nodes is available")).code).toBe("UNAVAILABLE");
  });
});
