import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "@/lib/auth/password";
import { E2E_USERS } from "@/tests/e2e/users";

// The environment an e2e console process runs with: the suite's users, a session secret, its
// connections and a data folder of its own. Run under tsx with the react-server condition
// (tests/e2e/serve.ts, tests/e2e/serve-one.ts), where lib/auth may be imported.

export async function e2eUsersJson(): Promise<string> {
  const users = await Promise.all(
    Object.values(E2E_USERS).map(async ({ username, password, role }) => ({
      username,
      role,
      passwordHash: await hashPassword(password),
    })),
  );
  return JSON.stringify(users);
}

export function consoleEnv(
  port: number,
  shared: { secret: string; users: string; connections: unknown[] },
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    HOSTNAME: "127.0.0.1",
    PORT: String(port),
    CONSOLE_SESSION_SECRET: shared.secret,
    CONSOLE_USERS: shared.users,
    CONSOLE_CONNECTIONS: JSON.stringify(shared.connections),
    CONSOLE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "console-e2e-")),
  };
}

export function newSessionSecret(): string {
  return randomBytes(48).toString("base64url");
}
