import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seedDemoUsers } from "@/db/seed-users";
import { inviteUser, resetUserPassword, setPasswordWithLink } from "@/lib/auth/user-accounts";
import { inviteUserSchema } from "@/lib/auth/user-schemas";
import { parseEnv } from "@/lib/env";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { mailPasswordLink } from "./password-link-mail";

/** A real SMTP server on 127.0.0.1 that keeps what it is given, and refuses one recipient. */
type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth: (auth, _session, callback) =>
    auth.username === "mailer" && auth.password === "smtp-secret-pw"
      ? callback(null, { user: "mailer" })
      : callback(new Error("Invalid username or password")),
  onRcptTo: (address, _session, callback) =>
    address.address.endsWith("@refused.test") ? callback(new Error("mailbox unavailable")) : callback(),
  onData: (stream, session, callback) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString("utf8"),
      });
      callback();
    });
  },
});
let smtpUrl: string;
let database: TestDatabase;
const ADMIN = {
  actor: { type: "user" as const, id: "demo-admin", label: "admin@demo.test" },
  sourceIp: null,
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://mailer:smtp-secret-pw@127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  // Read by env() on its first use, below.
  process.env.SMTP_URL = smtpUrl;
  process.env.MAIL_FROM = "OMS <oms@shop.test>";
  process.env.BETTER_AUTH_URL = "https://oms.shop.test";
  database = await createTestDatabase();
  await seedDemoUsers(database.db);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database?.drop();
});

/** A mail for the cases that test the sending, not the message. */
const SAMPLE_MAIL = {
  to: "x@shop.test",
  name: "X",
  url: "https://oms.shop.test/invite/t",
  expiresAt: new Date(),
  purpose: "invite",
} as const;

/** The link in a mail's text (quoted-printable may wrap it with `=` line breaks). */
function linkIn(raw: string): string | undefined {
  return /https:\/\/oms\.shop\.test\/invite\/[A-Za-z0-9_-]+/.exec(raw.replace(/=\r?\n/g, ""))?.[0];
}

test("SMTP_URL set: the invite link is mailed to the user, and the mailed link sets the password", async () => {
  const result = await inviteUser(
    database.db,
    inviteUserSchema.parse({ name: "Mia Mail", email: "mia@shop.test", role: "support" }),
    ADMIN,
  );
  if (!result.ok) throw new Error(result.message);
  expect(result.data.link.mail).toEqual({ state: "sent", to: "mia@shop.test" });
  const mail = received.find((m) => m.to.includes("mia@shop.test"));
  expect(mail?.from).toBe("oms@shop.test");
  expect(mail?.raw).toContain("Subject: You are invited to the order-cancellation panel");
  const link = linkIn(mail?.raw ?? "");
  expect(link).toBe(`https://oms.shop.test${result.data.link.path}`);
  const token = link?.split("/").pop() ?? "";
  const set = await setPasswordWithLink(
    database.db,
    { token, password: "a-long-new-password-1" },
    { sourceIp: null },
  );
  expect(set.ok).toBe(true);

  // A reset mails a new link with the reset's wording.
  const reset = await resetUserPassword(database.db, { userId: result.data.user.id }, ADMIN);
  if (!reset.ok) throw new Error(reset.message);
  expect(reset.data.link.mail.state).toBe("sent");
  const resetMail = received.filter((m) => m.to.includes("mia@shop.test")).at(-1);
  expect(resetMail?.raw).toContain("was reset by an administrator");
  expect(linkIn(resetMail?.raw ?? "")).toBe(`https://oms.shop.test${reset.data.link.path}`);
});

test("a mail that does not go out leaves the invite made and the link on screen, with a reason and no credentials", async () => {
  const refused = await inviteUser(
    database.db,
    inviteUserSchema.parse({ name: "Ned Nomail", email: "ned@refused.test", role: "viewer" }),
    ADMIN,
  );
  if (!refused.ok) throw new Error(refused.message);
  expect(refused.data.link.mail).toMatchObject({ state: "failed", to: "ned@refused.test" });
  expect(refused.data.link.path).toMatch(/^\/invite\//);

  const config = parseEnv({ ...process.env, SMTP_URL: "smtp://mailer:smtp-secret-pw@127.0.0.1:9" });
  const unreachable = await mailPasswordLink(SAMPLE_MAIL, config);
  expect(unreachable.state).toBe("failed");
  expect(JSON.stringify(unreachable)).not.toContain("smtp-secret-pw");

  const wrongPassword = parseEnv({ ...process.env, SMTP_URL: smtpUrl.replace("smtp-secret-pw", "wrong-pw") });
  const rejected = await mailPasswordLink(SAMPLE_MAIL, wrongPassword);
  expect(rejected.state).toBe("failed");
});

test("without SMTP_URL nothing is mailed", async () => {
  const config = parseEnv({ ...process.env, SMTP_URL: undefined });
  expect(await mailPasswordLink(SAMPLE_MAIL, config)).toEqual({ state: "off" });
});

test("SMTP_URL must be an smtp:// or smtps:// address", () => {
  expect(() => parseEnv({ SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL: must start with smtp/);
});
