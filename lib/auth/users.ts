import "server-only";
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { accounts, users } from "@/db/schema";
import { freeText } from "@/lib/validation/text";
import { ROLES, type Role } from "./permissions";

export const MIN_PASSWORD_LENGTH = 12;

export const newUserSchema = z.object({
  email: z.email().transform((e) => e.trim().toLowerCase()),
  name: freeText({ max: 200, required: "a name is required" }),
  role: z.enum(ROLES),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(128, "at most 128 characters"),
});
export type NewUser = z.input<typeof newUserSchema>;

export type CreatedUser = { id: string; email: string; name: string; role: Role; created: boolean };

/**
 * A user who signs in with email and password, stored the way better-auth stores its own: a
 * `users` row and a `credential` account holding better-auth's scrypt hash of the password. An
 * existing email is left alone (`created: false`).
 */
export async function createUserWithPassword(
  db: DbOrTx,
  input: NewUser,
  options: { id?: string; at?: Date } = {},
): Promise<CreatedUser> {
  const user = newUserSchema.parse(input);
  const existing = await db.query.users.findFirst({ where: eq(users.email, user.email) });
  if (existing) return { ...existing, role: existing.role, created: false };
  const id = options.id ?? randomUUID();
  const passwordHash = await hashPassword(user.password);
  const at = options.at ?? new Date();
  await db.transaction(async (tx) => {
    await tx.insert(users).values({
      id,
      email: user.email,
      name: user.name,
      role: user.role,
      emailVerified: true,
      createdAt: at,
      updatedAt: at,
    });
    await tx.insert(accounts).values({
      id: randomUUID(),
      accountId: id,
      providerId: "credential",
      userId: id,
      password: passwordHash,
      createdAt: at,
      updatedAt: at,
    });
  });
  return { id, email: user.email, name: user.name, role: user.role, created: true };
}
