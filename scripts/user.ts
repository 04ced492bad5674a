// npm run user -- hash                       prints a password hash for CONSOLE_USERS
// npm run user -- add <username> <role>      adds or updates a user in the users file
// npm run user -- remove <username>          removes a user from the users file
// npm run user -- list                       lists the users in the users file
// Passwords are read from the terminal (or stdin), never from arguments: those end up in shell history and `ps`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Writable } from "node:stream";
import { hashPassword } from "@/lib/auth/password";
import { isRole, ROLES } from "@/lib/auth/roles";
import { defaultUsersFile, usernameSchema, usersFileSchema, type UserEntry } from "@/lib/auth/users";

const USAGE = `Usage:
  npm run user -- hash
  npm run user -- add <username> <${ROLES.join("|")}>
  npm run user -- remove <username>
  npm run user -- list
The users file is $CONSOLE_USERS_FILE, or .data/users.json by default.`;

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8").split("\n")[0]!.replace(/\r$/, "");
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  const answer = new Promise<string>((resolve) => rl.question(prompt, resolve));
  muted = true;
  const password = await answer;
  rl.close();
  process.stdout.write("\n");
  return password;
}

async function askNewPassword(): Promise<string> {
  const password = await readPassword("Password: ");
  if (password.length < 10) throw new Error("Use a password of at least 10 characters.");
  if (process.stdin.isTTY && (await readPassword("Repeat password: ")) !== password) {
    throw new Error("The passwords differ; nothing was changed.");
  }
  return password;
}

function usersFile(): string {
  return process.env.CONSOLE_USERS_FILE ?? defaultUsersFile();
}

function readUsers(file: string): UserEntry[] {
  if (!existsSync(file)) return [];
  const parsed = usersFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not a valid users file; fix or remove it first.`);
  return parsed.data;
}

function writeUsers(file: string, users: UserEntry[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
}

async function main(): Promise<void> {
  const [command, username, role] = process.argv.slice(2);
  const file = usersFile();
  switch (command) {
    case "hash":
      console.log(await hashPassword(await askNewPassword()));
      return;
    case "add": {
      if (!username || !usernameSchema.safeParse(username).success || !isRole(role)) throw new Error(USAGE);
      const passwordHash = await hashPassword(await askNewPassword());
      const users = readUsers(file).filter((u) => u.username !== username);
      writeUsers(file, [...users, { username, role, passwordHash }]);
      console.log(`Saved ${username} (${role}) to ${file}. Restart the console to apply.`);
      return;
    }
    case "remove": {
      const users = readUsers(file);
      if (!username || !users.some((u) => u.username === username))
        throw new Error(`No user "${username}" in ${file}.`);
      writeUsers(
        file,
        users.filter((u) => u.username !== username),
      );
      console.log(`Removed ${username} from ${file}. Restart the console to apply.`);
      return;
    }
    case "list":
      for (const user of readUsers(file)) console.log(`${user.username}\t${user.role}`);
      return;
    default:
      throw new Error(USAGE);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
