/**
 * Settings → Users against a real database (PGlite, and PostgreSQL with DATABASE_URL): an invite's
 * link sets a password once and the user signs in with the role given; links expire; disabling
 * ends sessions and the session check refuses a disabled user even if a session survived; the last
 * active admin can be neither demoted nor disabled, also when two admins demote each other at once.
 */
import { count, eq, or } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({
  database: undefined as TestDatabase | undefined,
  /** The request `next/headers` answers with, for getSessionUser. */
  headers: new Headers(),
}));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

vi.mock("next/headers", () => ({ headers: async () => new Headers(state.headers) }));

import { listUsers } from "@/db/queries/users";
import { auditEvents, passwordLinks, sessions, users } from "@/db/schema";
import { seedDemoUsers } from "@/db/seed-users";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { authRequest, signInCookie } from "@/test/auth";
import { createTestDatabase } from "@/test/database";
import { getAuth } from "./auth";
import { handleAuthRequest } from "./auth-handler";
import { getSessionUser } from "./session";
import {
  changeUserRole,
  describePasswordLink,
  disableUser,
  enableUser,
  hashLinkToken,
  inviteUser,
  resetUserPassword,
  setPasswordWithLink,
} from "./user-accounts";
import { inviteUserSchema, PASSWORD_LINK_TTL_HOURS } from "./user-schemas";
import { createUserWithPassword } from "./users";

const ADMIN: AuditActor = { type: "user", id: "demo-admin", label: "admin@demo.test" };
const by = (actor: AuditActor = ADMIN) => ({ actor, sourceIp: "10.20.0.1" });
const NEW_PASSWORD = "a-long-new-password-1";
const HOUR = 60 * 60 * 1000;

let database: TestDatabase;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
  state.database = database;
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await seedDemoUsers(database.db);
});

afterAll(async () => {
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await database?.drop();
});

/** The signed-in user a request with `cookie` gets, through the app's real session check. */
async function sessionUserOf(cookie: string) {
  state.headers = new Headers({ cookie });
  // getSessionUser is cached per request by React; outside a request every call runs.
  return getSessionUser();
}

function signInStatus(email: string, password: string, ip = "10.20.0.9") {
  return handleAuthRequest(
    authRequest("/sign-in/email", { body: { email, password }, ip }),
    getAuth(),
    db(),
  ).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { code?: string },
  }));
}

async function auditOf(target: string) {
  return db()
    .select({ action: auditEvents.action, outcome: auditEvents.outcome, detail: auditEvents.detail })
    .from(auditEvents)
    .where(or(eq(auditEvents.target, target), eq(auditEvents.actorLabel, target)))
    .orderBy(auditEvents.id);
}

async function invite(name: string, email: string, role: "admin" | "ops" | "support" | "viewer") {
  const result = await inviteUser(db(), inviteUserSchema.parse({ name, email, role }), by());
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe("invites", () => {
  test("invite → set the password from the link → sign in with the role given; the link works once", async () => {
    const { user, link } = await invite("Ivy Invitee", " Ivy@Example.TEST ", "support");
    expect(user).toMatchObject({ email: "ivy@example.test", role: "support" });
    expect(link.path).toBe(`/invite/${link.token}`);
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan((PASSWORD_LINK_TTL_HOURS - 1) * HOUR);
    // Only the hash is stored.
    const [stored] = await db().select().from(passwordLinks).where(eq(passwordLinks.userId, user.id));
    expect(stored?.tokenHash).toBe(hashLinkToken(link.token));
    expect(JSON.stringify(stored)).not.toContain(link.token);

    expect((await listUsers(db())).find((u) => u.id === user.id)).toMatchObject({
      state: "invited",
      lastSignInAt: null,
      pendingLink: { purpose: "invite" },
    });
    // No password yet: nothing to sign in with.
    expect((await signInStatus(user.email, NEW_PASSWORD)).status).toBe(401);
    expect(await describePasswordLink(db(), link.token)).toMatchObject({
      state: "valid",
      name: "Ivy Invitee",
    });

    expect(await setPasswordWithLink(db(), { token: link.token, password: NEW_PASSWORD }, by())).toEqual({
      ok: true,
      data: { email: user.email, role: "support" },
    });
    const cookie = await signInCookie(getAuth(), user.email, NEW_PASSWORD);
    expect(await sessionUserOf(cookie)).toMatchObject({ id: user.id, role: "support" });
    expect((await listUsers(db())).find((u) => u.id === user.id)).toMatchObject({
      state: "active",
      pendingLink: null,
      lastSignInAt: expect.any(Date),
    });

    const again = await setPasswordWithLink(
      db(),
      { token: link.token, password: "another-password-2" },
      by(),
    );
    expect(again).toMatchObject({ ok: false, code: "PASSWORD_LINK_INVALID" });
    expect(!again.ok && again.message).toMatch(/already used/);

    // The same email cannot be invited twice.
    const twice = await inviteUser(
      db(),
      inviteUserSchema.parse({ name: "Ivy", email: user.email, role: "admin" }),
      by(),
    );
    expect(twice).toMatchObject({ ok: false, code: "EMAIL_TAKEN" });

    expect((await auditOf(user.email)).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "user.invite:success",
      "auth.sign_in:failure",
      "user.password_set:success",
      "auth.sign_in:success",
    ]);
  });

  test("an expired link is refused with a clear message; of two uses at once exactly one succeeds", async () => {
    const { user, link } = await invite("Eve Expired", "eve@example.test", "viewer");
    const later = new Date(link.expiresAt.getTime() + 1000);
    expect(await describePasswordLink(db(), link.token, later)).toEqual({ state: "expired" });
    const expired = await setPasswordWithLink(
      db(),
      { token: link.token, password: NEW_PASSWORD },
      { ...by(), now: later },
    );
    expect(expired).toMatchObject({ ok: false, code: "PASSWORD_LINK_INVALID" });
    expect(!expired.ok && expired.message).toMatch(/expired/);
    expect(await describePasswordLink(db(), "not-a-token")).toEqual({ state: "unknown" });

    const both = await Promise.all([
      setPasswordWithLink(db(), { token: link.token, password: "first-password-123" }, by()),
      setPasswordWithLink(db(), { token: link.token, password: "second-password-456" }, by()),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)[0]).toMatchObject({ code: "PASSWORD_LINK_INVALID" });
    const winner = both[0]?.ok ? "first-password-123" : "second-password-456";
    expect((await signInStatus(user.email, winner)).status).toBe(200);
  });
});

describe("disabling", () => {
  test("ends the user's sessions at once, refuses a session that survived, refuses sign-in until enabled", async () => {
    const olga = await createUserWithPassword(db(), {
      email: "olga@example.test",
      name: "Olga Ops",
      role: "ops",
      password: NEW_PASSWORD,
    });
    const first = await signInCookie(getAuth(), olga.email, NEW_PASSWORD);
    await signInCookie(getAuth(), olga.email, NEW_PASSWORD, "10.20.0.2");
    expect(await sessionUserOf(first)).toMatchObject({ id: olga.id, role: "ops" });
    const survivors = await db().select().from(sessions).where(eq(sessions.userId, olga.id));

    const disabled = await disableUser(db(), { userId: olga.id }, by());
    expect(disabled).toMatchObject({ ok: true, data: { sessionsEnded: 2 } });
    const [left] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, olga.id));
    expect(left?.n).toBe(0);
    expect(await sessionUserOf(first)).toBeNull();

    // A session that slipped past the delete (a sign-in racing the disable) is refused as well.
    await db().insert(sessions).values(survivors);
    expect(await sessionUserOf(first)).toBeNull();
    await db().delete(sessions).where(eq(sessions.userId, olga.id));

    expect(await signInStatus(olga.email, NEW_PASSWORD)).toMatchObject({
      status: 403,
      body: { code: "ACCOUNT_DISABLED" },
    });
    expect((await listUsers(db())).find((u) => u.id === olga.id)?.state).toBe("disabled");

    expect(await enableUser(db(), { userId: olga.id }, by())).toMatchObject({ ok: true });
    expect((await signInStatus(olga.email, NEW_PASSWORD)).status).toBe(200);

    // One's own account: another admin disables it.
    expect(await disableUser(db(), { userId: "demo-admin" }, by())).toMatchObject({
      ok: false,
      code: "OWN_ACCOUNT",
    });

    expect((await auditOf(olga.email)).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      "auth.sign_in:success",
      "auth.sign_in:success",
      "user.disable:success",
      "auth.sign_in:failure",
      "user.enable:success",
      "auth.sign_in:success",
    ]);
  });

  test("a password reset ends the sessions, the old password stops working, the new link sets another", async () => {
    const sam = await createUserWithPassword(db(), {
      email: "sam@example.test",
      name: "Sam Reset",
      role: "support",
      password: NEW_PASSWORD,
    });
    const cookie = await signInCookie(getAuth(), sam.email, NEW_PASSWORD);
    const reset = await resetUserPassword(db(), { userId: sam.id }, by());
    if (!reset.ok) throw new Error(reset.message);
    expect(await sessionUserOf(cookie)).toBeNull();
    expect((await signInStatus(sam.email, NEW_PASSWORD)).status).toBe(401);
    expect(await describePasswordLink(db(), reset.data.link.token)).toMatchObject({
      state: "valid",
      purpose: "reset",
    });
    expect(
      await setPasswordWithLink(
        db(),
        { token: reset.data.link.token, password: "brand-new-password-9" },
        by(),
      ),
    ).toMatchObject({ ok: true });
    expect((await signInStatus(sam.email, "brand-new-password-9")).status).toBe(200);
    expect((await auditOf(sam.email)).map((e) => e.action)).toContain("user.password_reset");
  });
});

describe("the last active admin", () => {
  const OTHER: AuditActor = { type: "user", id: "someone-else", label: "someone@example.test" };

  test("can be neither demoted, disabled nor reset; an invited admin without a password does not count", async () => {
    await invite("Ann Invited", "ann@example.test", "admin");
    const demote = await changeUserRole(db(), { userId: "demo-admin", role: "ops" }, by(OTHER));
    expect(demote).toMatchObject({ ok: false, code: "LAST_ADMIN" });
    expect(!demote.ok && demote.message).toMatch(/last active admin/);
    expect(await disableUser(db(), { userId: "demo-admin" }, by(OTHER))).toMatchObject({
      code: "LAST_ADMIN",
    });
    expect(await resetUserPassword(db(), { userId: "demo-admin" }, by(OTHER))).toMatchObject({
      code: "LAST_ADMIN",
    });
    const admin = await db().query.users.findFirst({ where: eq(users.id, "demo-admin") });
    expect(admin).toMatchObject({ role: "admin", disabledAt: null });
    // The refusals are audited as failures.
    const refused = (await auditOf("admin@demo.test")).filter((e) => e.outcome === "failure");
    expect(refused.map((e) => [e.action, e.detail?.code])).toEqual([
      ["user.role_change", "LAST_ADMIN"],
      ["user.disable", "LAST_ADMIN"],
      ["user.password_reset", "LAST_ADMIN"],
    ]);
  });

  test("two admins demoting each other at the same moment: one succeeds, one admin is left", async () => {
    const second = await createUserWithPassword(db(), {
      email: "second-admin@example.test",
      name: "Second Admin",
      role: "admin",
      password: NEW_PASSWORD,
    });
    const asSecond: AuditActor = { type: "user", id: second.id, label: second.email };
    for (const [a, b] of [
      ["demo-admin", second.id],
      [second.id, "demo-admin"],
    ] as const) {
      const results = await Promise.all([
        changeUserRole(db(), { userId: a, role: "ops" }, by(asSecond)),
        b === "demo-admin"
          ? disableUser(db(), { userId: b }, by(asSecond))
          : changeUserRole(db(), { userId: b, role: "viewer" }, by(ADMIN)),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ code: "LAST_ADMIN" });
      const active = (await listUsers(db())).filter((u) => u.role === "admin" && u.state === "active");
      expect(active).toHaveLength(1);
      // Back to two admins for the next round.
      await db().update(users).set({ role: "admin", disabledAt: null }).where(eq(users.id, a));
      await db().update(users).set({ role: "admin", disabledAt: null }).where(eq(users.id, b));
    }
  });
});
