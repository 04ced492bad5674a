// Redis and connection failures translated once into AppError (DESIGN.md contract 4).
// Raw Redis messages can carry key names and server details, so only our own words leave here.
import { AppError, isAppError } from "@/lib/errors";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
]);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps anything thrown while talking to Redis; `connection` names the connection for the message. */
export function toAppError(error: unknown, connection?: string): AppError {
  if (isAppError(error)) return error;
  const where = connection ? `Connection "${connection}"` : "Redis";
  const message = messageOf(error);
  const errno = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : "";

  if (message.startsWith("WRONGTYPE")) {
    return new AppError("INVALID", "That key holds a different type of value than this operation expects.");
  }
  if (message.startsWith("NOPERM") || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
    return new AppError(
      "FORBIDDEN",
      `${where} refused the command: the Redis user lacks the permission (check its ACL).`,
    );
  }
  if (message.startsWith("OOM")) {
    return new AppError(
      "OUT_OF_MEMORY",
      `${where} is out of memory (maxmemory reached); free memory or raise maxmemory, then retry.`,
    );
  }
  if (message.startsWith("READONLY")) {
    return new AppError("UNAVAILABLE", `${where} is a read-only replica right now; retry after failover.`);
  }
  if (message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")) {
    return new AppError("UNAVAILABLE", `${where} is busy (loading or running a script); retry in a moment.`);
  }
  if (message === "Command timed out" || name === "TimeoutError") {
    return new AppError("TIMEOUT", `${where} did not answer in time; it may be overloaded. Retry shortly.`);
  }
  if (
    name === "MaxRetriesPerRequestError" ||
    (typeof errno === "string" && CONNECTION_CODES.has(errno)) ||
    message.includes("Connection is closed") ||
    message.includes("Stream isn't writeable") ||
    message.includes("connect ")
  ) {
    return new AppError(
      "UNAVAILABLE",
      `${where} is not answering. The console keeps retrying; check that Redis is running and reachable.`,
    );
  }
  if (message.startsWith("ERR") || message.startsWith("NOSCRIPT")) {
    return new AppError("INVALID", `${where} rejected the command.`);
  }
  return new AppError("INTERNAL", "Something went wrong on the server. It has been logged.");
}
