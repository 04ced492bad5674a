import "server-only";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { dataDir } from "@/lib/data-dir";
import { generatePassword, hashPassword, isPasswordHash } from "@/lib/auth/password";
import { ROLES, type Role } from "@/lib/auth/roles";

// Users come from configuration (CONSOLE_USERS JSON, or a users file), each with a scrypt hash.
// With none configured there is one admin whose password is CONSOLE_ADMIN_PASSWORD or, failing
// that, random and printed once when the process starts: there is no well-known default.

export const usernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, "usernames are 1-64 letters, digits, and . _ @ -");

const userSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(ROLES),
    passwordHash: z.string().refine(isPasswordHash, "passwordHash must come from `npm run user -- hash`"),
  })
  .strict();

export const usersFileSchema = z
  .array(userSchema)
  .refine((list) => new Set(list.map((u) => u.username)).size === list.length, "usernames must be unique");

/** A user as the users file holds it. */
export type UserEntry = z.infer<typeof userSchema>;

export type ConsoleUser = UserEntry & {
  /**
   * What a session remembers of the password, to end when it changes: the hash from the users
   * file, or for CONSOLE_ADMIN_PASSWORD a digest of it (its hash is salted anew by each process,
   * which would end every session another instance started).
   */
  credential: string;
};

export function defaultUsersFile(): string {
  return path.join(dataDir(), "users.json");
}

interface UserStore {
  users: Map<string, ConsoleUser>;
  source: "env" | "file" | "admin-password" | "generated";
  /** The users file and its modification time when read: a change is read again. */
  file?: { path: string; mtimeMs: number };
}

const globalUsers = globalThis as unknown as {
  __consoleUsers?: Promise<UserStore>;
  __consoleUsersCheckedAt?: number;
  /** What __consoleUsers resolved to, once it has: read without a promise by knownUser. */
  __consoleUsersRead?: { from: Promise<UserStore>; store: UserStore };
};

/** Starts reading the users; `knownUser` answers from them once they are read. */
function readUsers(): Promise<UserStore> {
  const reading = loadUsers();
  reading.then(
    (store) => (globalUsers.__consoleUsersRead = { from: reading, store }),
    () => undefined,
  );
  return reading;
}

function usersFile(): string {
  return process.env.CONSOLE_USERS_FILE ?? defaultUsersFile();
}

function readConfiguredUsers(): { list: unknown; source: "env" | "file" } | null {
  if (process.env.CONSOLE_USERS) {
    try {
      return { list: JSON.parse(process.env.CONSOLE_USERS), source: "env" };
    } catch {
      throw new Error("CONSOLE_USERS is not valid JSON.");
    }
  }
  const file = usersFile();
  if (!existsSync(/* turbopackIgnore: true */ file)) {
    if (process.env.CONSOLE_USERS_FILE) throw new Error(`CONSOLE_USERS_FILE ${file} does not exist.`);
    return null;
  }
  try {
    return { list: JSON.parse(readFileSync(/* turbopackIgnore: true */ file, "utf8")), source: "file" };
  } catch {
    throw new Error(`The users file ${file} is not valid JSON.`);
  }
}

async function loadUsers(): Promise<UserStore> {
  const configured = readConfiguredUsers();
  if (configured) {
    const parsed = usersFileSchema.safeParse(configured.list);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid users config: ${reason}`);
    }
    const users = new Map(parsed.data.map((u) => [u.username, { ...u, credential: u.passwordHash }]));
    if (configured.source === "env") return { users, source: "env" };
    return { users, source: "file", file: { path: usersFile(), mtimeMs: fileTime(usersFile()) } };
  }
  const given = process.env.CONSOLE_ADMIN_PASSWORD;
  const password = given || generatePassword();
  if (!given) {
    // The one place a secret is printed, by design: nobody else could ever sign in otherwise.
    console.log(
      `\n[redis-ml-console] No users are configured. Sign in as "admin" with password: ${password}\n` +
        "[redis-ml-console] It changes at every start; set CONSOLE_ADMIN_PASSWORD or add users with `npm run user`.\n",
    );
  }
  const admin: ConsoleUser = {
    username: "admin",
    role: "admin",
    passwordHash: await hashPassword(password),
    credential: createHash("sha256").update(`admin-password:${password}`).digest("hex"),
  };
  return { users: new Map([["admin", admin]]), source: given ? "admin-password" : "generated" };
}

function fileTime(file: string): number {
  try {
    return statSync(/* turbopackIgnore: true */ file).mtimeMs;
  } catch {
    return -1;
  }
}

const RECHECK_MS = 1_000;

/**
 * The users, read once and again when the users file changes (checked at most once a second), so
 * `npm run user` takes effect without a restart, and a changed role or password ends that user's
 * sessions (lib/auth/session). A file that no longer parses keeps the users last read, loudly.
 */
async function store(): Promise<UserStore> {
  const current = (globalUsers.__consoleUsers ??= readUsers());
  const now = Date.now();
  if (now - (globalUsers.__consoleUsersCheckedAt ?? 0) < RECHECK_MS) return current;
  globalUsers.__consoleUsersCheckedAt = now;
  const loaded = await current;
  if (!loaded.file || fileTime(loaded.file.path) === loaded.file.mtimeMs) return loaded;
  const next = readUsers();
  try {
    const fresh = await next;
    globalUsers.__consoleUsers = next;
    return fresh;
  } catch (error) {
    console.error(`[users] ${(error as Error).message} Keeping the users read before.`);
    loaded.file.mtimeMs = fileTime(loaded.file.path);
    return loaded;
  }
}

export async function findUser(username: string): Promise<ConsoleUser | undefined> {
  return (await store()).users.get(username);
}

/**
 * findUser without waiting, for a signed-in request's fast path (lib/auth/guard): the user as
 * read, while the users file was checked less than a second ago; else undefined (ask findUser).
 */
export function knownUser(username: string): ConsoleUser | undefined {
  const read = globalUsers.__consoleUsersRead;
  if (!read || read.from !== globalUsers.__consoleUsers) return undefined;
  if (Date.now() - (globalUsers.__consoleUsersCheckedAt ?? 0) >= RECHECK_MS) return undefined;
  return read.store.users.get(username);
}

export async function listUsers(): Promise<{ username: string; role: Role }[]> {
  return [...(await store()).users.values()].map(({ username, role }) => ({ username, role }));
}

/** Called at server start so the generated admin password is printed before anyone needs it. */
export async function initUsers(): Promise<void> {
  await store();
}

export function anonymousViewerEnabled(): boolean {
  return process.env.CONSOLE_ANONYMOUS_VIEWER === "true";
}
