import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";

// Connections come from REDIS_URL (one connection) or a JSON list in CONSOLE_CONNECTIONS /
// CONSOLE_CONNECTIONS_FILE. Secrets are read from env vars or files named in the config, so the
// config itself can be committed; the resolved secrets never leave the server.

const secretSource = {
  passwordEnv: z.string().min(1).optional(),
  passwordFile: z.string().min(1).optional(),
};

const tlsSchema = z
  .object({
    caFile: z.string().optional(),
    certFile: z.string().optional(),
    keyFile: z.string().optional(),
    servername: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  })
  .strict();

const hostPort = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict();

const common = {
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "ids are lowercase letters, digits, - and _ (at most 40)"),
  name: z.string().min(1).max(80).optional(),
  username: z.string().min(1).optional(),
  tls: tlsSchema.optional(),
  ...secretSource,
};

const connectionSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("standalone"),
      url: z.string().regex(/^rediss?:\/\//, "url must start with redis:// or rediss://"),
      ...common,
    })
    .strict(),
  z.object({ type: z.literal("cluster"), nodes: z.array(hostPort).min(1), ...common }).strict(),
  z
    .object({
      type: z.literal("sentinel"),
      sentinels: z.array(hostPort).min(1),
      masterName: z.string().min(1),
      db: z.number().int().min(0).default(0),
      sentinelPasswordEnv: z.string().optional(),
      ...common,
    })
    .strict(),
]);

const connectionsSchema = z
  .array(connectionSchema)
  .min(1, "configure at least one connection")
  .refine((list) => new Set(list.map((c) => c.id)).size === list.length, "connection ids must be unique");

type Env = Record<string, string | undefined>;

export type ConnectionSpec = z.infer<typeof connectionSchema>;

export interface ConnectionConfig {
  spec: ConnectionSpec;
  id: string;
  name: string;
  /** What the browser may see: type and address, never credentials. */
  address: string;
  password?: string;
  sentinelPassword?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string; rejectUnauthorized: boolean };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function readSecretFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new ConfigError(`Cannot read ${what} from file ${file}.`);
  }
}

function readEnvSecret(env: Env, variable: string, what: string): string {
  const value = env[variable];
  if (value === undefined) throw new ConfigError(`${what} should come from env ${variable}, which is unset.`);
  return value;
}

function publicAddress(spec: ConnectionSpec): string {
  switch (spec.type) {
    case "standalone": {
      const url = new URL(spec.url);
      const db = url.pathname.replace("/", "") || "0";
      return `${url.protocol}//${url.hostname}:${url.port || "6379"}/${db}`;
    }
    case "cluster":
      return `cluster ${spec.nodes.map((n) => `${n.host}:${n.port}`).join(", ")}`;
    case "sentinel":
      return `sentinel ${spec.masterName} via ${spec.sentinels.map((n) => `${n.host}:${n.port}`).join(", ")}`;
  }
}

function resolve(spec: ConnectionSpec, env: Env): ConnectionConfig {
  const label = `connection "${spec.id}"`;
  let password: string | undefined;
  if (spec.passwordEnv) password = readEnvSecret(env, spec.passwordEnv, `The password of ${label}`);
  if (spec.passwordFile) password = readSecretFile(spec.passwordFile, `the password of ${label}`);
  const tls = spec.tls && {
    ca: spec.tls.caFile ? Buffer.from(readSecretFile(spec.tls.caFile, `the CA of ${label}`)) : undefined,
    cert: spec.tls.certFile
      ? Buffer.from(readSecretFile(spec.tls.certFile, `the cert of ${label}`))
      : undefined,
    key: spec.tls.keyFile ? Buffer.from(readSecretFile(spec.tls.keyFile, `the key of ${label}`)) : undefined,
    servername: spec.tls.servername,
    rejectUnauthorized: spec.tls.rejectUnauthorized,
  };
  const sentinelPassword =
    spec.type === "sentinel" && spec.sentinelPasswordEnv
      ? readEnvSecret(env, spec.sentinelPasswordEnv, `The sentinel password of ${label}`)
      : undefined;
  return {
    spec,
    id: spec.id,
    name: spec.name ?? spec.id,
    address: publicAddress(spec),
    password,
    sentinelPassword,
    tls,
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}

/** Reads the connection list from the environment. Throws ConfigError with a readable reason. */
export function loadConnections(env: Env = process.env): ConnectionConfig[] {
  let raw: unknown;
  if (env.CONSOLE_CONNECTIONS_FILE) {
    const text = readSecretFile(env.CONSOLE_CONNECTIONS_FILE, "the connections config");
    raw = parseJson(text, `CONSOLE_CONNECTIONS_FILE (${env.CONSOLE_CONNECTIONS_FILE})`);
  } else if (env.CONSOLE_CONNECTIONS) {
    raw = parseJson(env.CONSOLE_CONNECTIONS, "CONSOLE_CONNECTIONS");
  } else {
    raw = [
      { id: "default", name: "default", type: "standalone", url: env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    ];
  }
  const parsed = connectionsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid connections config: ${describeIssues(parsed.error)}`);
  return parsed.data.map((spec) => resolve(spec, env));
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(`${where} is not valid JSON.`);
  }
}
