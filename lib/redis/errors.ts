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

const TLS_REFUSED = "refused the server's TLS certificate";
const NO_FALLBACK = "Nothing was sent: the console never falls back to an unverified connection.";

/** A TLS handshake that failed its checks, in words that say which setting to look at. */
function tlsError(errno: string, where: string): AppError | null {
  let reason: string | null = null;
  if (UNTRUSTED_CERTIFICATE.has(errno))
    reason = "it is not signed by a CA the connection trusts (tls.caFile).";
  else if (errno === "ERR_TLS_CERT_ALTNAME_INVALID")
    reason = "it is issued for another host name than the one expected (tls.servername, or the host).";
  else if (errno === "CERT_HAS_EXPIRED" || errno === "CERT_NOT_YET_VALID")
    reason = "it has expired or is not valid yet.";
  if (reason) return new AppError("UNAVAILABLE", `${where} ${TLS_REFUSED}: ${reason} ${NO_FALLBACK}`);
  if (errno === TLS_RESET_WITHOUT_CLIENT_CERT) {
    return new AppError(
      "UNAVAILABLE",
      `${where}: the server closed the connection right after the TLS handshake; it probably asks ` +
        "for a client certificate (tls-auth-clients), which this connection does not give " +
        "(tls.certFile and tls.keyFile).",
    );
  }
  if (
    errno.startsWith("ERR_SSL_") &&
    /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE/.test(errno)
  ) {
    return new AppError(
      "UNAVAILABLE",
      `${where}: the server refused the TLS handshake; it asks for a client certificate it trusts ` +
        "(tls.certFile and tls.keyFile).",
    );
  }
  if (errno.startsWith("ERR_SSL_") || errno.startsWith("ERR_TLS_")) {
    return new AppError(
      "UNAVAILABLE",
      `${where}: the TLS handshake failed; check the connection's tls settings.`,
    );
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
  const where = connection ? `Connection "${connection}"` : "Redis";
  const message = messageOf(error);
  const errno = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : "";
  const cause = depth < 3 ? causeOf(error, message) : undefined;
  if (cause !== undefined && cause !== null) return mapError(cause, connection, depth + 1);

  const tls = typeof errno === "string" ? tlsError(errno, where) : null;
  if (tls) return tls;

  if (message.startsWith("EXECABORT")) {
    return new AppError(
      "INVALID",
      `${where} discarded the transaction: one of its commands was refused, so nothing changed.`,
    );
  }

  if (message.startsWith("WRONGTYPE")) {
    return new AppError("INVALID", "That key holds a different type of value than this operation expects.");
  }
  if (message.startsWith("NOPERM") || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
    return new AppError(
      "FORBIDDEN",
      `${where} refused the command as not permitted: its Redis user lacks the permission (check its ACL).`,
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
    name === "ClusterAllFailedError" ||
    CLUSTER_LOST.some((text) => message.startsWith(text)) ||
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
