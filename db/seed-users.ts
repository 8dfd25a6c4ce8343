/**
 * Demo logins, one per role, for the embedded demo and the e2e run only. Never seeded into a
 * production database unless asked for (`npm run db:seed -- --demo-users`).
 */

import type { Role } from "@/lib/auth/permissions";
import { createUserWithPassword } from "@/lib/auth/users";
import type { DbOrTx } from "./client";

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
