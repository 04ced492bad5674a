import "server-only";
import { existsSync, readFileSync } from "node:fs";
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

export type ConsoleUser = z.infer<typeof userSchema>;

export function defaultUsersFile(): string {
  return path.join(dataDir(), "users.json");
}

interface UserStore {
  users: Map<string, ConsoleUser>;
  source: "env" | "file" | "admin-password" | "generated";
}

const globalUsers = globalThis as unknown as { __consoleUsers?: Promise<UserStore> };

function readConfiguredUsers(): { list: unknown; source: "env" | "file" } | null {
  if (process.env.CONSOLE_USERS) {
    try {
      return { list: JSON.parse(process.env.CONSOLE_USERS), source: "env" };
    } catch {
      throw new Error("CONSOLE_USERS is not valid JSON.");
    }
  }
  const file = process.env.CONSOLE_USERS_FILE ?? defaultUsersFile();
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
    return { users: new Map(parsed.data.map((u) => [u.username, u])), source: configured.source };
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
  const admin: ConsoleUser = { username: "admin", role: "admin", passwordHash: await hashPassword(password) };
  return { users: new Map([["admin", admin]]), source: given ? "admin-password" : "generated" };
}

function store(): Promise<UserStore> {
  globalUsers.__consoleUsers ??= loadUsers();
  return globalUsers.__consoleUsers;
}

export async function findUser(username: string): Promise<ConsoleUser | undefined> {
  return (await store()).users.get(username);
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
