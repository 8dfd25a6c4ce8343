/**
 * Demo logins, one per role, for the embedded demo and the e2e run only. Never seeded into a
 * production database unless asked for (`npm run db:seed -- --demo-users`).
 */

import { inArray } from "drizzle-orm";
import type { Role } from "@/lib/auth/permissions";
import { createUserWithPassword } from "@/lib/auth/users";
import type { Db, DbOrTx } from "./client";
import { apiKeys, users } from "./schema";

export const DEMO_PASSWORD = "demo-password-1";

export const DEMO_USERS: readonly { id: string; email: string; name: string; role: Role }[] = [
  { id: "demo-admin", email: "admin@demo.test", name: "Ada Admin", role: "admin" },
  { id: "demo-ops", email: "ops@demo.test", name: "Oscar Ops", role: "ops" },
  { id: "demo-support", email: "support@demo.test", name: "Sam Support", role: "support" },
  { id: "demo-viewer", email: "viewer@demo.test", name: "Vera Viewer", role: "viewer" },
];

/** Adds the demo users that are missing; returns how many it added. */
export async function seedDemoUsers(db: DbOrTx): Promise<number> {
  let added = 0;
  for (const user of DEMO_USERS) {
    const result = await createUserWithPassword(db, { ...user, password: DEMO_PASSWORD }, { id: user.id });
    if (result.created) added += 1;
  }
  return added;
}

/**
 * Removes the demo logins (with their sessions, and any API key they made) from a database that
 * runs without demo mode. Returns the emails removed; an empty list when there were none.
 */
export async function removeDemoUsers(db: Db): Promise<string[]> {
  const ids = DEMO_USERS.map((u) => u.id);
  return db.transaction(async (tx) => {
    const present = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, ids));
    if (present.length === 0) return [];
    const found = present.map((u) => u.id);
    await tx.delete(apiKeys).where(inArray(apiKeys.createdBy, found));
    await tx.delete(users).where(inArray(users.id, found)); // sessions and accounts cascade
    return present.map((u) => u.email);
  });
}
