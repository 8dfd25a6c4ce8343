import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { eq } from "drizzle-orm";
import { type Db, getDb } from "@/db/client";
import * as schema from "@/db/schema";
import { type AuditActor, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authSecret, env } from "@/lib/env";
import { getClientIp, ipAddressOptions } from "./client-ip";
import { AUTH_COOKIE_PREFIX } from "./cookie";
import { ROLES } from "./permissions";
import { consumeRateLimit, refundRateLimit } from "./rate-limit";

/** A session lasts 8 hours from its last refresh; using it refreshes it at most every 15 minutes. */
export const SESSION_EXPIRES_IN_SECONDS = 8 * 60 * 60;
export const SESSION_UPDATE_AGE_SECONDS = 15 * 60;
/** Failed sign-ins per account are counted in windows of this length (the account lock's length). */
export const SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60;

const DEV_HOSTS = ["localhost:*", "127.0.0.1:*", "[::1]:*"];

function isLoopback(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/**
 * Where the app is served. BETTER_AUTH_URL when set (required in production); in development any
 * localhost port, so `npm run dev` works on http://localhost:3000 and http://127.0.0.1:3000 alike.
 */
function baseUrlConfig() {
  const { BETTER_AUTH_URL, NODE_ENV } = env();
  if (BETTER_AUTH_URL) return BETTER_AUTH_URL;
  if (NODE_ENV === "production") {
    throw new Error(
      "Invalid configuration: BETTER_AUTH_URL is required in production (the app's public address, e.g. https://oms.example.com).",
    );
  }
  return { allowedHosts: DEV_HOSTS, fallback: "http://localhost:3000", protocol: "http" as const };
}

/**
 * Secure cookies in production. The one exception is a production build served over plain HTTP on
 * this machine (the e2e run on http://127.0.0.1:3100), where a browser would drop them.
 */
export function secureCookies(): boolean {
  const { BETTER_AUTH_URL, NODE_ENV } = env();
  if (NODE_ENV !== "production") return false;
  const url = BETTER_AUTH_URL ? new URL(BETTER_AUTH_URL) : undefined;
  return !(url && url.protocol === "http:" && isLoopback(url));
}

function failureKey(email: string): string {
  return `sign-in-failures:${email}`;
}

function typedEmail(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 320) : "";
}

function anonymous(email: string): AuditActor {
  return { type: "anonymous", id: null, label: email || "(no email)" };
}

/** better-auth endpoints the app does not use, refused outright. */
export const DISABLED_AUTH_PATHS = [
  "/sign-up/email",
  "/update-user",
  "/change-email",
  "/change-password",
  "/delete-user",
  "/delete-user/callback",
  "/set-password",
  "/forget-password",
  "/request-password-reset",
  "/reset-password",
  "/verify-email",
  "/send-verification-email",
  "/list-sessions",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  "/link-social",
  "/list-accounts",
  "/unlink-account",
  "/refresh-token",
  "/get-access-token",
  "/account-info",
  "/sign-in/social",
];

/** better-auth on `db`: one instance per database (the app's, or a test's). */
export function createAuth(db: Db) {
  const config = env();
  const secure = secureCookies();
  const failureRule = {
    windowSeconds: SIGN_IN_FAILURE_WINDOW_SECONDS,
    max: config.SIGN_IN_FAILURES_PER_ACCOUNT,
  };

  return betterAuth({
    appName: "Order cancellations",
    secret: authSecret(config),
    baseURL: baseUrlConfig(),
    basePath: "/api/auth",
    database: drizzleAdapter(db, { provider: "pg", schema, usePlural: true }),
    telemetry: { enabled: false },
    // Only sign-in, sign-out and the session are used; everything else better-auth offers is off
    // (users cannot rename themselves into another name shown in "Uploaded by", change their
    // email, or list and revoke sessions behind the admin's back).
    disabledPaths: DISABLED_AUTH_PATHS,
    emailAndPassword: {
      enabled: true,
      // Accounts are made by an admin or `npm run auth:create-admin`, never by a visitor.
      disableSignUp: true,
      minPasswordLength: 12,
      autoSignIn: false,
    },
    user: {
      additionalFields: {
        role: { type: [...ROLES], required: true, defaultValue: "viewer", input: false },
        // Set by an admin (Settings → Users); the session check refuses a disabled user.
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled user gets no new session (what better-auth's admin plugin does for banned
          // users; that plugin's endpoints would bypass the last-admin rule and the audit log).
          before: async (session) => {
            const user = await db.query.users.findFirst({
              where: eq(schema.users.id, session.userId),
              columns: { disabledAt: true },
            });
            if (user?.disabledAt) {
              throw new APIError("FORBIDDEN", {
                code: "ACCOUNT_DISABLED",
                message: "This account is disabled. Ask your administrator.",
              });
            }
          },
        },
      },
    },
    session: {
      expiresIn: SESSION_EXPIRES_IN_SECONDS,
      updateAge: SESSION_UPDATE_AGE_SECONDS,
      // Every check reads the session row, so signing out or deleting a user takes effect at once.
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      // In the database, so that several instances share the counts.
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: config.SIGN_IN_RATE_LIMIT_PER_MINUTE },
      },
    },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure, path: "/" },
      ipAddress: ipAddressOptions(),
      // Explicit, so that tests run the same origin and CSRF checks as production (better-auth
      // would skip the origin check under NODE_ENV=test).
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const sourceIp = getClientIp(ctx.request?.headers ?? ctx.headers ?? new Headers());
        if (ctx.path === "/sign-in/email") {
          // A per-account limit on top of the per-IP one: guessing one account's password from
          // many addresses is slowed down too. Every attempt is counted first, in one atomic
          // statement (so simultaneous guesses cannot all slip under the limit), and a successful
          // one is taken back afterwards.
          const email = typedEmail(ctx.body);
          if (!email) return;
          const failures = await consumeRateLimit(db, failureKey(email), failureRule);
          if (failures.allowed) return;
          await recordAuditEvent(
            {
              actor: anonymous(email),
              action: "auth.sign_in",
              outcome: "failure",
              sourceIp,
              detail: { code: "RATE_LIMITED", reason: "too many failed sign-ins for this account" },
            },
            db,
          );
          const minutes = Math.ceil(failures.retryAfterSeconds / 60);
          throw new APIError(
            "TOO_MANY_REQUESTS",
            {
              code: "RATE_LIMITED",
              message: `Too many failed sign-ins for this account. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
            },
            { "Retry-After": String(failures.retryAfterSeconds) },
          );
        }
        if (ctx.path === "/sign-out") {
          const current = await getSessionFromCtx(ctx, { disableRefresh: true }).catch(() => null);
          if (!current) return;
          await recordAuditEvent(
            {
              actor: { type: "user", id: current.user.id, label: current.user.email },
              action: "auth.sign_out",
              outcome: "success",
              sourceIp,
            },
            db,
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const sourceIp = getClientIp(ctx.request?.headers ?? ctx.headers ?? new Headers());
        const email = typedEmail(ctx.body);
        const signedIn = ctx.context.newSession;
        if (signedIn) {
          if (email) await refundRateLimit(db, failureKey(email), failureRule);
          await recordAuditEvent(
            {
              actor: { type: "user", id: signedIn.user.id, label: signedIn.user.email },
              action: "auth.sign_in",
              outcome: "success",
              sourceIp,
            },
            db,
          );
          return;
        }
        const returned = ctx.context.returned;
        const error = isAPIError(returned) ? returned : undefined;
        await recordAuditEvent(
          {
            actor: anonymous(email),
            action: "auth.sign_in",
            outcome: "failure",
            sourceIp,
            detail: {
              code: (error?.body as { code?: string } | undefined)?.code ?? "SIGN_IN_FAILED",
              status: error?.statusCode ?? null,
            },
          },
          db,
        );
      }),
    },
    // Lets server actions (sign-out) set and clear the session cookie. Must stay the last plugin.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per process (kept on globalThis so hot reload does not build a second one).
const globalForAuth = globalThis as unknown as { __omsAuth?: Auth };

/** The app's better-auth instance, on the app's database. Built on first use. */
export function getAuth(): Auth {
  globalForAuth.__omsAuth ??= createAuth(getDb());
  return globalForAuth.__omsAuth;
}
