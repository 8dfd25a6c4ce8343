/**
 * One-time links that let a user set their password: made when an admin invites them (Settings →
 * Users) or resets their password. Only the SHA-256 of the link's token is kept (the token is 32
 * random bytes, shown once to the admin); a link works once (`used_at`) and until `expires_at`.
 */
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { users } from "./auth";

export const PASSWORD_LINK_PURPOSES = ["invite", "reset"] as const;
export type PasswordLinkPurpose = (typeof PASSWORD_LINK_PURPOSES)[number];

export const passwordLinks = pgTable(
  "password_links",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    purpose: text({ enum: PASSWORD_LINK_PURPOSES }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Set when the link was used to set a password; a used link never works again. */
    usedAt: timestamp({ withTimezone: true }),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index().on(t.userId),
    check("password_links_purpose_known", sql`${t.purpose} IN ('invite', 'reset')`),
  ],
);
