import "server-only";
import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type PasswordLinkPurpose, users } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";

/**
 * - `active`: can sign in (has a password, not disabled);
 * - `invited`: has no password yet (a new user, or one whose password an admin reset) and waits for
 *   their one-time link;
 * - `disabled`: an admin disabled them; signing in is refused.
 */
export type UserState = "active" | "invited" | "disabled";

export type UserRow = {
  id: string;
  name: string;
  email: string;
  role: Role;
  state: UserState;
  createdAt: Date;
  /** The last successful sign-in, from the audit log; null if they never signed in. */
  lastSignInAt: Date | null;
  /** Their unused set-password link, if any (an expired one included, so the screen can say so). */
  pendingLink: { purpose: PasswordLinkPurpose; expiresAt: Date } | null;
};

const toDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value));

/** Every user, by name, with their state, last sign-in and pending link. */
export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`,
      // "users"."id" spelled out: drizzle writes a bare "id", which in a subquery means its own table's.
      hasPassword: sql<boolean>`EXISTS (SELECT 1 FROM accounts a
        WHERE a.user_id = "users"."id" AND a.provider_id = 'credential' AND a.password IS NOT NULL)`,
      // The newest through audit_events_actor_id_idx (actor_id, id).
      lastSignInAt: sql`(SELECT e.at FROM audit_events e
        WHERE e.actor_id = "users"."id" AND e.action = 'auth.sign_in' AND e.outcome = 'success'
        ORDER BY e.id DESC LIMIT 1)`.mapWith(toDate),
      linkPurpose: sql<PasswordLinkPurpose | null>`(SELECT l.purpose FROM password_links l
        WHERE l.user_id = "users"."id" AND l.used_at IS NULL ORDER BY l.created_at DESC LIMIT 1)`,
      linkExpiresAt: sql`(SELECT l.expires_at FROM password_links l
        WHERE l.user_id = "users"."id" AND l.used_at IS NULL ORDER BY l.created_at DESC LIMIT 1)`.mapWith(
        toDate,
      ),
    })
    .from(users)
    .orderBy(asc(sql`lower(${users.name})`), asc(users.email));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    state: row.disabled ? "disabled" : row.hasPassword ? "active" : "invited",
    createdAt: row.createdAt,
    lastSignInAt: row.lastSignInAt,
    pendingLink:
      row.linkPurpose && row.linkExpiresAt
        ? { purpose: row.linkPurpose, expiresAt: row.linkExpiresAt }
        : null,
  }));
}
