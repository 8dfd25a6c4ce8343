/**
 * The tables better-auth reads and writes (through its drizzle adapter, `usePlural`): users,
 * their sessions, their credentials (accounts) and short-lived verification tokens, plus the
 * counters of its rate limiter, kept here so every instance shares them.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/auth/permissions";
import { timestamps } from "./_columns";

export const users = pgTable(
  "users",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    email: text().notNull().unique(),
    emailVerified: boolean().notNull().default(false),
    image: text(),
    /** Never set by the client: better-auth's `input: false`. Admins and the CLI set it. */
    role: text({ enum: ROLES }).notNull().default("viewer"),
    /**
     * Set when an admin disables the user (Settings → Users): signing in is refused and the session
     * check refuses any session that survived. Null for an enabled user.
     */
    disabledAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [check("users_role_known", sql`${t.role} IN (${sql.raw(ROLES.map((r) => `'${r}'`).join(", "))})`)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    /** The signed cookie carries this token; deleting the row signs the session out everywhere. */
    token: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ipAddress: text(),
    userAgent: text(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  (t) => [index().on(t.userId)],
);

/** A way to sign in: for email and password, providerId "credential" and the password hash. */
export const accounts = pgTable(
  "accounts",
  {
    id: text().primaryKey(),
    accountId: text().notNull(),
    providerId: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text(),
    refreshToken: text(),
    idToken: text(),
    accessTokenExpiresAt: timestamp({ withTimezone: true }),
    refreshTokenExpiresAt: timestamp({ withTimezone: true }),
    scope: text(),
    /** better-auth's scrypt hash; never a plain password. */
    password: text(),
    ...timestamps,
  },
  (t) => [index().on(t.userId)],
);

export const verifications = pgTable(
  "verifications",
  {
    id: text().primaryKey(),
    identifier: text().notNull(),
    value: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index().on(t.identifier)],
);

/** better-auth's rate limiter (`storage: "database"`): one row per client IP and auth path. */
export const rateLimits = pgTable("rate_limits", {
  id: text().primaryKey(),
  key: text().notNull().unique(),
  count: integer().notNull(),
  /** Milliseconds since the epoch, as better-auth writes it. */
  lastRequest: bigint({ mode: "number" }).notNull(),
  ...timestamps,
});
