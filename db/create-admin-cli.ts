/**
 * `npm run auth:create-admin -- --email ops-lead@example.com --name "Ops Lead"`
 *
 * Creates an admin who signs in with email and password: the first user of a production database.
 * The password comes from ADMIN_PASSWORD, or from standard input (typed at a hidden prompt, or
 * piped: `printf '%s\n' "$PASSWORD" | npm run auth:create-admin -- ...`). Never from the command line,
 * where it would land in the shell history and the process list.
 */
import { parseArgs } from "node:util";
import { createUserWithPassword, MIN_PASSWORD_LENGTH, newUserSchema } from "@/lib/auth/users";
import { getDatabase } from "./client";
import { migrateDatabase } from "./migrate";

async function readHidden(prompt: string): Promise<string> {
  const { stdin, stdout } = process;
  stdout.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          stdout.write("\n");
          resolve(value);
          return;
        }
        if (char === "\u0003") {
          stdin.setRawMode(false);
          reject(new Error("cancelled"));
          return;
        }
        if (char === "\u007f") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPiped(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0] ?? "";
}

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) return readPiped();
  const first = await readHidden(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const second = await readHidden("Repeat the password: ");
  if (first !== second) throw new Error("The two passwords differ.");
  return first;
}

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" } },
  strict: true,
});
if (!values.email || !values.name) {
  console.error('Usage: npm run auth:create-admin -- --email <email> --name "<name>"');
  console.error("The password is read from ADMIN_PASSWORD or standard input.");
  process.exit(2);
}

const password = await readPassword();
const parsed = newUserSchema.safeParse({ email: values.email, name: values.name, role: "admin", password });
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}

const handle = getDatabase();
try {
  await migrateDatabase(handle);
  const user = await createUserWithPassword(handle.db, parsed.data);
  if (!user.created) {
    console.error(`A user with the email ${user.email} already exists (role ${user.role}); nothing changed.`);
    process.exitCode = 1;
  } else {
    console.log(`Created admin ${user.email} (${user.name}). Sign in at /sign-in.`);
  }
} finally {
  await handle.close();
}
