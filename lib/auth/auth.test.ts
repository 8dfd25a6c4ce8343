import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

// Small limits, read once when lib/env is first used by this file.
vi.hoisted(() => {
  process.env.SIGN_IN_RATE_LIMIT_PER_MINUTE = "4";
  process.env.SIGN_IN_FAILURES_PER_ACCOUNT = "3";
});

import { auditEvents, sessions, users } from "@/db/schema";
import { DEMO_PASSWORD, seedDemoUsers } from "@/db/seed-users";
import { authRequest, cookieHeaderOf, signInCookie } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { type Auth, createAuth, SESSION_EXPIRES_IN_SECONDS } from "./auth";
import { handleAuthRequest } from "./auth-handler";
import { createUserWithPassword } from "./users";

let database: TestDatabase;
let auth: Auth;
/** What /api/auth/* does: better-auth's handler plus the audit of rate-limited sign-ins. */
const handle = (request: Request, on: Auth = auth) => handleAuthRequest(request, on, database.db);

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoUsers(database.db);
  auth = createAuth(database.db);
});

afterAll(async () => {
  await database?.drop();
});

async function signInEvents(label: string) {
  return database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "auth.sign_in"), eq(auditEvents.actorLabel, label)))
    .orderBy(auditEvents.id);
}

describe("sign-in", () => {
  test("a right password sets an httpOnly, SameSite=Lax session cookie for 8 hours and is audited", async () => {
    const response = await handle(
      authRequest("/sign-in/email", {
        body: { email: "ops@demo.test", password: DEMO_PASSWORD },
        ip: "10.0.0.1",
      }),
    );
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("oms.session_token="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(new RegExp(`Max-Age=${SESSION_EXPIRES_IN_SECONDS}`));
    // Not in production: no Secure flag, so http://localhost works.
    expect(cookie).not.toMatch(/Secure/);

    const body = (await response.json()) as { user: { role: string } };
    expect(body.user.role).toBe("ops");

    const [event] = await signInEvents("ops@demo.test");
    expect(event).toMatchObject({ actorType: "user", outcome: "success", sourceIp: "10.0.0.1" });
    expect(event?.actorId).toBe("demo-ops");
  });

  test("a wrong password is refused with 401 and audited as a failed sign-in, never naming which part was wrong", async () => {
    const wrong = await handle(
      authRequest("/sign-in/email", {
        body: { email: "support@demo.test", password: "not-the-password" },
        ip: "10.0.0.2",
      }),
    );
    const unknown = await handle(
      authRequest("/sign-in/email", {
        body: { email: "nobody@demo.test", password: "whatever-it-is" },
        ip: "10.0.0.2",
      }),
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const [event] = await signInEvents("support@demo.test");
    expect(event).toMatchObject({
      actorType: "anonymous",
      actorId: null,
      outcome: "failure",
      sourceIp: "10.0.0.2",
    });
    expect(event?.detail).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD", status: 401 });
    expect(await signInEvents("nobody@demo.test")).toHaveLength(1);
  });

  test("sign-in attempts are rate-limited per client IP in the database (429), and the refusal is audited", async () => {
    // A different account each time, so that only the per-IP limit can refuse.
    const attempt = (i: number) =>
      handle(
        authRequest("/sign-in/email", {
          body: { email: `guess-${i}@demo.test`, password: "guess-guess-guess" },
          ip: "10.0.0.3",
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(i)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);

    // The count lives in the database: a second instance on the same database refuses too.
    const other = createAuth(database.db);
    const fromOther = await handle(
      authRequest("/sign-in/email", {
        body: { email: "viewer@demo.test", password: DEMO_PASSWORD },
        ip: "10.0.0.3",
      }),
      other,
    );
    expect(fromOther.status).toBe(429);
    expect(Number(fromOther.headers.get("X-Retry-After"))).toBeGreaterThan(0);

    // Another address is not affected.
    const elsewhere = await handle(
      authRequest("/sign-in/email", {
        body: { email: "viewer@demo.test", password: DEMO_PASSWORD },
        ip: "10.0.0.4",
      }),
    );
    expect(elsewhere.status).toBe(200);

    const [refused] = await signInEvents("guess-4@demo.test");
    expect(refused).toMatchObject({ outcome: "failure", sourceIp: "10.0.0.3" });
    expect(refused?.detail).toMatchObject({ code: "RATE_LIMITED" });
  });

  test("failed sign-ins lock the account for the window, whatever address they come from", async () => {
    const tryFrom = (ip: string, password: string) =>
      handle(authRequest("/sign-in/email", { body: { email: "admin@demo.test", password }, ip }));
    expect((await tryFrom("10.1.0.1", "wrong-password-1")).status).toBe(401);
    expect((await tryFrom("10.1.0.2", "wrong-password-2")).status).toBe(401);
    expect((await tryFrom("10.1.0.3", "wrong-password-3")).status).toBe(401);
    // Even the right password is refused now, from a fresh address.
    const locked = await tryFrom("10.1.0.4", DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
    const events = await signInEvents("admin@demo.test");
    expect(events.map((e) => e.outcome)).toEqual(["failure", "failure", "failure", "failure"]);
    expect(events.at(-1)?.detail).toMatchObject({ code: "RATE_LIMITED" });
  });

  test("simultaneous wrong passwords for one account: no more than the limit are even checked", async () => {
    await createUserWithPassword(database.db, {
      email: "guessed@demo.test",
      name: "Guessed",
      role: "viewer",
      password: DEMO_PASSWORD,
    });
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        handle(
          authRequest("/sign-in/email", {
            body: { email: "guessed@demo.test", password: `wrong-password-${i}` },
            ip: `10.5.0.${i + 1}`,
          }),
        ),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  test("the endpoints the app does not use are switched off", async () => {
    await createUserWithPassword(database.db, {
      email: "renamer@demo.test",
      name: "Rena Renamer",
      role: "support",
      password: DEMO_PASSWORD,
    });
    const cookie = await signInCookie(auth, "renamer@demo.test", DEMO_PASSWORD, "10.6.0.1");
    for (const [path, body] of [
      ["/update-user", { name: "Ada Admin" }],
      ["/change-email", { newEmail: "renamed@demo.test" }],
      ["/change-password", { currentPassword: DEMO_PASSWORD, newPassword: "another-password-1" }],
      ["/revoke-other-sessions", {}],
    ] as const) {
      const response = await handle(authRequest(path, { body, cookie, ip: "10.6.0.1" }));
      expect(response.status, path).toBe(404);
    }
    const [renamer] = await database.db.select().from(users).where(eq(users.email, "renamer@demo.test"));
    expect(renamer).toMatchObject({ name: "Rena Renamer" });
  });

  test("visitors cannot sign up, and a signed-in user cannot change their own role", async () => {
    const signUp = await handle(
      authRequest("/sign-up/email", {
        body: { email: "mallory@demo.test", password: "a-long-password-1", name: "Mallory", role: "admin" },
        ip: "10.2.0.1",
      }),
    );
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(await database.db.select().from(users).where(eq(users.email, "mallory@demo.test"))).toHaveLength(
      0,
    );

    const cookie = await signInCookie(auth, "viewer@demo.test", DEMO_PASSWORD, "10.2.0.2");
    const update = await handle(
      authRequest("/update-user", { body: { role: "admin", name: "Vera" }, cookie, ip: "10.2.0.2" }),
    );
    expect(update.status).toBeGreaterThanOrEqual(400);
    const [viewer] = await database.db.select().from(users).where(eq(users.email, "viewer@demo.test"));
    expect(viewer?.role).toBe("viewer");
  });
});

describe("sessions", () => {
  test("a session lasts 8 hours, slides when used after 15 minutes, and ends at sign-out", async () => {
    const cookie = await signInCookie(auth, "support@demo.test", DEMO_PASSWORD, "10.3.0.1");
    const [row] = await database.db.select().from(sessions).where(eq(sessions.userId, "demo-support"));
    if (!row) throw new Error("no session row");
    const lifetime = row.expiresAt.getTime() - row.createdAt.getTime();
    expect(lifetime).toBeGreaterThan((SESSION_EXPIRES_IN_SECONDS - 60) * 1000);
    expect(lifetime).toBeLessThanOrEqual((SESSION_EXPIRES_IN_SECONDS + 1) * 1000);

    // Pretend it was last refreshed an hour ago: the next read moves it and re-sets the cookie.
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const staleExpiry = new Date(hourAgo.getTime() + SESSION_EXPIRES_IN_SECONDS * 1000);
    await database.db
      .update(sessions)
      .set({ expiresAt: staleExpiry, updatedAt: hourAgo })
      .where(eq(sessions.id, row.id));
    const read = await handle(authRequest("/get-session", { cookie, ip: "10.3.0.1" }));
    expect(read.status).toBe(200);
    expect(read.headers.getSetCookie().some((c) => c.startsWith("oms.session_token="))).toBe(true);
    const [moved] = await database.db.select().from(sessions).where(eq(sessions.id, row.id));
    expect(moved?.expiresAt.getTime()).toBeGreaterThan(staleExpiry.getTime() + 50 * 60 * 1000);

    // An expired session is no session.
    await database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, row.id));
    const expired = await handle(authRequest("/get-session", { cookie, ip: "10.3.0.1" }));
    expect(await expired.json()).toBeNull();
  });

  test("signing out deletes the session, so a copied cookie is worthless afterwards, and is audited", async () => {
    const cookie = await signInCookie(auth, "ops@demo.test", DEMO_PASSWORD, "10.4.0.1");
    const before = await handle(authRequest("/get-session", { cookie }));
    expect(await before.json()).not.toBeNull();
    const out = await handle(authRequest("/sign-out", { method: "POST", body: {}, cookie, ip: "10.4.0.1" }));
    expect(out.status).toBe(200);
    expect(cookieHeaderOf(out.headers.getSetCookie())).toBe("");
    const replay = await handle(authRequest("/get-session", { cookie }));
    expect(await replay.json()).toBeNull();
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.sign_out"), eq(auditEvents.actorId, "demo-ops")));
    expect(events).toHaveLength(1);
  });

  test("a request from another origin is refused by better-auth's origin check", async () => {
    const response = await handle(
      authRequest("/sign-in/email", {
        body: { email: "ops@demo.test", password: DEMO_PASSWORD },
        ip: "10.5.0.1",
        headers: { origin: "https://evil.example" },
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
