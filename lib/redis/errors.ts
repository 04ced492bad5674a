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

/** Node's codes for a server certificate that does not chain to a CA the connection trusts. */
const UNTRUSTED_CERTIFICATE = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REJECTED",
]);

/**
 * A server that requires client certificates lets a TLS 1.3 handshake finish and then resets the
 * connection, so the client often sees only ECONNRESET. The registry tags that case (a TLS
 * connection with no client certificate, reset before it was ever ready) with this code.
 */
export const TLS_RESET_WITHOUT_CLIENT_CERT = "CONSOLE_TLS_RESET_WITHOUT_CLIENT_CERT";

/** Who failed, for the messages: `Connection "<name>"`, or just Redis when no connection is named. */
type Where = { named: "yes" | "no"; connection: string };

/** A TLS handshake that failed its checks, in words that say which setting to look at. */
function tlsError(errno: string, where: Where): AppError | null {
  if (UNTRUSTED_CERTIFICATE.has(errno)) return AppError.of("UNAVAILABLE", "tlsUntrusted", where);
  if (errno === "ERR_TLS_CERT_ALTNAME_INVALID") return AppError.of("UNAVAILABLE", "tlsWrongHost", where);
  if (errno === "CERT_HAS_EXPIRED" || errno === "CERT_NOT_YET_VALID") {
    return AppError.of("UNAVAILABLE", "tlsExpired", where);
  }
  if (errno === TLS_RESET_WITHOUT_CLIENT_CERT) {
    return AppError.of("UNAVAILABLE", "tlsClientCertMissing", where);
  }
  if (
    errno.startsWith("ERR_SSL_") &&
    /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE/.test(errno)
  ) {
    return AppError.of("UNAVAILABLE", "tlsClientCertRefused", where);
  }
  if (errno.startsWith("ERR_SSL_") || errno.startsWith("ERR_TLS_")) {
    return AppError.of("UNAVAILABLE", "tlsFailed", where);
  }
  return null;
}

const CLUSTER_LOST = [
  "None of startup nodes is available",
  "Cluster is disconnected",
  "Node is disconnected",
];

// Redis 6 and older wrap a script's failing redis.call in "ERR Error running script (call to
// f_<sha>): @user_script:1: … -OOM command not allowed …"; the first ": -CODE …" is the real reply.
const SCRIPT_WRAPPER = /^ERR Error running script\b.*?: -?([A-Z]{2,}[A-Z_]* [\s\S]*)$/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The error that says why, when `error` only wraps it: a refused MULTI's EXECABORT (ioredis puts
 * the queued commands' refusals, such as OOM, in `previousErrors`), an old server's script
 * wrapper, or a cluster's last node error. Undefined or null when `error` is its own cause.
 */
function causeOf(error: unknown, message: string): unknown {
  if (message.startsWith("EXECABORT")) {
    const previous = (error as { previousErrors?: unknown }).previousErrors;
    return Array.isArray(previous) ? previous[0] : undefined;
  }
  const script = SCRIPT_WRAPPER.exec(message);
  if (script) return new Error(script[1]);
  if (error instanceof Error && error.name === "ClusterAllFailedError") {
    return (error as { lastNodeError?: unknown }).lastNodeError;
  }
  return undefined;
}

/** Maps anything thrown while talking to Redis; `connection` names the connection for the message. */
export function toAppError(error: unknown, connection?: string): AppError {
  return mapError(error, connection, 0);
}

function mapError(error: unknown, connection: string | undefined, depth: number): AppError {
  if (isAppError(error)) return error;
  const where: Where = connection ? { named: "yes", connection } : { named: "no", connection: "" };
  const message = messageOf(error);
  const errno = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : "";
  const cause = depth < 3 ? causeOf(error, message) : undefined;
  if (cause !== undefined && cause !== null) return mapError(cause, connection, depth + 1);

  const tls = typeof errno === "string" ? tlsError(errno, where) : null;
  if (tls) return tls;

  if (message.startsWith("EXECABORT")) return AppError.of("INVALID", "transactionDiscarded", where);
  if (message.startsWith("WRONGTYPE")) return AppError.of("INVALID", "wrongType");
  if (message.startsWith("NOPERM") || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
    return AppError.of("FORBIDDEN", "noPermission", where);
  }
  if (message.startsWith("OOM")) return AppError.of("OUT_OF_MEMORY", "outOfMemory", where);
  if (message.startsWith("READONLY")) return AppError.of("UNAVAILABLE", "readOnlyReplica", where);
  if (message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN")) {
    return AppError.of("UNAVAILABLE", "busy", where);
  }
  if (message === "Command timed out" || name === "TimeoutError") {
    return AppError.of("TIMEOUT", "timeout", where);
  }
  if (
    name === "MaxRetriesPerRequestError" ||
    name === "ClusterAllFailedError" ||
    CLUSTER_LOST.some((text) => message.startsWith(text)) ||
    (typeof errno === "string" && CONNECTION_CODES.has(errno)) ||
    message.includes("Connection is closed") ||
    message.includes("Stream isn't writeable") ||
    message.includes("connect ")
  ) {
    return AppError.of("UNAVAILABLE", "notAnswering", where);
  }
  if (message.startsWith("ERR") || message.startsWith("NOSCRIPT")) {
    return AppError.of("INVALID", "commandRejected", where);
  }
  return AppError.of("INTERNAL", "internal");
}
