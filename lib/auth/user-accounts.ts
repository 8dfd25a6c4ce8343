import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, eq, is, isNull, sql, TransactionRollbackError } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import {
  type AuditAction,
  accounts,
  type PasswordLinkPurpose,
  passwordLinks,
  sessions,
  users,
} from "@/db/schema";
import { type ActionFailure, type ActionResult, failure, success } from "@/lib/action-result";
import { type AuditActor, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { appOrigin, type LinkMail, mailPasswordLink } from "@/lib/mail/password-link-mail";
import type { Role } from "./permissions";
import {
  type ChangeRoleInput,
  type InviteUserInput,
  PASSWORD_LINK_TTL_HOURS,
  type SetPasswordInput,
  type UserIdInput,
} from "./user-schemas";

/**
 * Settings → Users: invite, change a role, disable, enable, reset a password, and the set-password
 * link the invite and the reset hand out. Each change, its audit event and its session changes
 * commit in one transaction.
 *
 * The last active admin (role admin, not disabled, with a password) can be neither demoted,
 * disabled nor reset: every change that could take an admin away first locks the active admins'
 * rows (`FOR UPDATE`, in id order) and only then counts them, in a new statement that sees what
 * the transactions it waited for committed. Two admins demoting each other at once therefore queue,
 * and the second one finds a single admin left and is refused.
 */

/** Who makes the change and from where, for the audit log. */
export type ChangeContext = { actor: AuditActor; sourceIp: string | null; now?: Date };

export type PasswordLink = {
  /** The secret part of the link: shown once, only its SHA-256 is stored. */
  token: string;
  /** Where the link points, on this app: `/invite/<token>`. */
  path: string;
  expiresAt: Date;
  /** Whether it also went out by mail (SMTP_URL set), or why not. */
  mail: LinkMail;
};

/** A link as issued inside the transaction, before it is mailed. */
type IssuedLink = Omit<PasswordLink, "mail"> & { purpose: PasswordLinkPurpose };

export type UserChange = { id: string; email: string; name: string; role: Role };

const LINK_TTL_MS = PASSWORD_LINK_TTL_HOURS * 60 * 60 * 1000;

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function passwordLinkPath(token: string): string {
  return `/invite/${token}`;
}

/**
 * drizzle's rollback, by its entity kind: `instanceof` fails in the production bundle, where the
 * class can exist twice.
 */
function isRollback(error: unknown): boolean {
  return is(error, TransactionRollbackError);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** A new link for `userId`; any earlier unused link of theirs stops working. */
async function issueLink(
  tx: Tx,
  userId: string,
  purpose: PasswordLinkPurpose,
  createdBy: string | null,
  now: Date,
): Promise<IssuedLink> {
  await tx.delete(passwordLinks).where(and(eq(passwordLinks.userId, userId), isNull(passwordLinks.usedAt)));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await tx.insert(passwordLinks).values({
    userId,
    tokenHash: hashLinkToken(token),
    purpose,
    expiresAt,
    createdBy,
    createdAt: now,
    updatedAt: now,
  });
  return { token, path: passwordLinkPath(token), expiresAt, purpose };
}

/** After the change committed: the link mailed to its user when SMTP_URL is set. */
async function mailLink(
  result: ActionResult<{ user: UserChange; link: IssuedLink }>,
): Promise<ActionResult<{ user: UserChange; link: PasswordLink }>> {
  if (!result.ok) return result;
  const { user, link } = result.data;
  const mail = await mailPasswordLink({
    to: user.email,
    name: user.name,
    url: new URL(link.path, appOrigin()).toString(),
    expiresAt: link.expiresAt,
    purpose: link.purpose === "invite" ? "invite" : "reset",
  });
  return success({ user, link: { token: link.token, path: link.path, expiresAt: link.expiresAt, mail } });
}

/**
 * Locks the rows of every enabled admin (in id order, so concurrent callers queue instead of
 * deadlocking), then returns the ids of those who can sign in. The count is a second statement on
 * purpose: under READ COMMITTED it sees what the transactions this one waited for committed.
 */
async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  await tx.execute(
    sql`SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
  );
  const result = await tx.execute<{ id: string }>(sql`
    SELECT u.id FROM users u
     WHERE u.role = 'admin' AND u.disabled_at IS NULL
       AND EXISTS (SELECT 1 FROM accounts a
                    WHERE a.user_id = u.id AND a.provider_id = 'credential' AND a.password IS NOT NULL)`);
  return result.rows.map((row) => row.id);
}

async function lockUser(tx: Tx, id: string) {
  await tx.execute(sql`SELECT id FROM users WHERE id = ${id} FOR UPDATE`);
  return tx.query.users.findFirst({ where: eq(users.id, id) });
}

/** Whether taking `userId` away from the active admins would leave none. */
function isLastActiveAdmin(activeAdmins: readonly string[], userId: string): boolean {
  return activeAdmins.includes(userId) && activeAdmins.length <= 1;
}

type Refusal = { refused: ActionFailure; audit?: Record<string, unknown> };

/** Runs `change` in a transaction; a refusal rolls it back and, when it says so, is audited as a failure. */
async function inTransaction<T>(
  db: Db,
  context: ChangeContext,
  action: AuditAction,
  change: (tx: Tx) => Promise<{ ok: true; value: T } | Refusal>,
): Promise<ActionResult<T>> {
  let refusal: Refusal | undefined;
  let value: T | undefined;
  try {
    await db.transaction(async (tx) => {
      const result = await change(tx);
      if ("refused" in result) {
        refusal = result;
        tx.rollback();
      } else {
        value = result.value;
      }
    });
  } catch (error) {
    if (!(refusal && isRollback(error))) throw error;
  }
  if (!refusal) return success(value as T);
  if (refusal.audit) {
    await recordAuditEvent(
      {
        actor: context.actor,
        action,
        outcome: "failure",
        sourceIp: context.sourceIp,
        target: typeof refusal.audit.email === "string" ? refusal.audit.email : null,
        detail: { code: refusal.refused.code, ...refusal.audit },
      },
      db,
    );
  }
  return refusal.refused;
}

/**
 * Invites a user: a `users` row with the role and no password, and a one-time link (valid
 * {@link PASSWORD_LINK_TTL_HOURS} hours) that lets them set one. The link is returned once.
 */
export async function inviteUser(
  db: Db,
  input: InviteUserInput,
  context: ChangeContext,
): Promise<ActionResult<{ user: UserChange; link: PasswordLink }>> {
  const now = context.now ?? new Date();
  try {
    return await mailLink(
      await db.transaction(async (tx) => {
        const existing = await tx.query.users.findFirst({ where: eq(users.email, input.email) });
        if (existing) return failure("EMAIL_TAKEN", { email: input.email });
        const id = randomUUID();
        await tx.insert(users).values({
          id,
          name: input.name,
          email: input.email,
          role: input.role,
          emailVerified: false,
          createdAt: now,
          updatedAt: now,
        });
        const link = await issueLink(tx, id, "invite", context.actor.id, now);
        await recordAuditEvent(
          {
            actor: context.actor,
            action: "user.invite",
            outcome: "success",
            sourceIp: context.sourceIp,
            target: input.email,
            detail: { userId: id, role: input.role, expiresAt: link.expiresAt.toISOString() },
          },
          tx,
        );
        return success({ user: { id, email: input.email, name: input.name, role: input.role }, link });
      }),
    );
  } catch (error) {
    // Two invites of one email at the same moment: the unique index lets one through.
    if (isUniqueViolation(error)) return failure("EMAIL_TAKEN", { email: input.email });
    throw error;
  }
}

export async function changeUserRole(
  db: Db,
  input: ChangeRoleInput,
  context: ChangeContext,
): Promise<ActionResult<UserChange>> {
  return inTransaction(db, context, "user.role_change", async (tx) => {
    const activeAdmins = await lockActiveAdmins(tx);
    const user = await lockUser(tx, input.userId);
    if (!user) return { refused: failure("USER_NOT_FOUND", { id: input.userId }) };
    if (user.role === input.role) {
      return { ok: true, value: { id: user.id, email: user.email, name: user.name, role: user.role } };
    }
    if (input.role !== "admin" && isLastActiveAdmin(activeAdmins, user.id)) {
      return {
        refused: failure("LAST_ADMIN", { name: user.name, change: "demote" }),
        audit: { email: user.email, userId: user.id, from: user.role, to: input.role },
      };
    }
    await tx
      .update(users)
      .set({ role: input.role, updatedAt: context.now ?? new Date() })
      .where(eq(users.id, user.id));
    await recordAuditEvent(
      {
        actor: context.actor,
        action: "user.role_change",
        outcome: "success",
        sourceIp: context.sourceIp,
        target: user.email,
        detail: { userId: user.id, from: user.role, to: input.role },
      },
      tx,
    );
    return { ok: true, value: { id: user.id, email: user.email, name: user.name, role: input.role } };
  });
}

/**
 * Disables a user: their sessions are deleted in the same transaction (so every open browser is
 * signed out on its next request), their unused links stop working, and signing in is refused
 * until an admin enables them again.
 */
export async function disableUser(
  db: Db,
  input: UserIdInput,
  context: ChangeContext,
): Promise<ActionResult<UserChange & { sessionsEnded: number }>> {
  const now = context.now ?? new Date();
  return inTransaction(db, context, "user.disable", async (tx) => {
    const activeAdmins = await lockActiveAdmins(tx);
    const user = await lockUser(tx, input.userId);
    if (!user) return { refused: failure("USER_NOT_FOUND", { id: input.userId }) };
    if (user.id === context.actor.id) return { refused: failure("OWN_ACCOUNT", { change: "disable" }) };
    if (isLastActiveAdmin(activeAdmins, user.id)) {
      return {
        refused: failure("LAST_ADMIN", { name: user.name, change: "disable" }),
        audit: { email: user.email, userId: user.id },
      };
    }
    const summary = { id: user.id, email: user.email, name: user.name, role: user.role };
    if (user.disabledAt) return { ok: true, value: { ...summary, sessionsEnded: 0 } };
    await tx.update(users).set({ disabledAt: now, updatedAt: now }).where(eq(users.id, user.id));
    const ended = await tx
      .delete(sessions)
      .where(eq(sessions.userId, user.id))
      .returning({ id: sessions.id });
    await tx
      .delete(passwordLinks)
      .where(and(eq(passwordLinks.userId, user.id), isNull(passwordLinks.usedAt)));
    await recordAuditEvent(
      {
        actor: context.actor,
        action: "user.disable",
        outcome: "success",
        sourceIp: context.sourceIp,
        target: user.email,
        detail: { userId: user.id, role: user.role, sessionsEnded: ended.length },
      },
      tx,
    );
    return { ok: true, value: { ...summary, sessionsEnded: ended.length } };
  });
}

/** Enables a disabled user: they may sign in again (no session comes back). */
export async function enableUser(
  db: Db,
  input: UserIdInput,
  context: ChangeContext,
): Promise<ActionResult<UserChange>> {
  return inTransaction(db, context, "user.enable", async (tx) => {
    await lockActiveAdmins(tx);
    const user = await lockUser(tx, input.userId);
    if (!user) return { refused: failure("USER_NOT_FOUND", { id: input.userId }) };
    const summary = { id: user.id, email: user.email, name: user.name, role: user.role };
    if (!user.disabledAt) return { ok: true, value: summary };
    await tx
      .update(users)
      .set({ disabledAt: null, updatedAt: context.now ?? new Date() })
      .where(eq(users.id, user.id));
    await recordAuditEvent(
      {
        actor: context.actor,
        action: "user.enable",
        outcome: "success",
        sourceIp: context.sourceIp,
        target: user.email,
        detail: { userId: user.id, role: user.role },
      },
      tx,
    );
    return { ok: true, value: summary };
  });
}

/**
 * Resets a user's password: the current one stops working, their sessions end, and a new one-time
 * link (returned once) lets them choose another.
 */
export async function resetUserPassword(
  db: Db,
  input: UserIdInput,
  context: ChangeContext,
): Promise<ActionResult<{ user: UserChange; link: PasswordLink }>> {
  const now = context.now ?? new Date();
  return mailLink(
    await inTransaction(db, context, "user.password_reset", async (tx) => {
      const activeAdmins = await lockActiveAdmins(tx);
      const user = await lockUser(tx, input.userId);
      if (!user) return { refused: failure("USER_NOT_FOUND", { id: input.userId }) };
      // The admin's own session would end with the page that shows the link.
      if (user.id === context.actor.id) return { refused: failure("OWN_ACCOUNT", { change: "reset" }) };
      if (isLastActiveAdmin(activeAdmins, user.id)) {
        return {
          refused: failure("LAST_ADMIN", { name: user.name, change: "reset" }),
          audit: { email: user.email, userId: user.id },
        };
      }
      if (user.disabledAt) {
        return { refused: failure("PASSWORD_LINK_INVALID", { state: "disabled" }) };
      }
      const removed = await tx
        .delete(accounts)
        .where(and(eq(accounts.userId, user.id), eq(accounts.providerId, "credential")))
        .returning({ id: accounts.id });
      const ended = await tx
        .delete(sessions)
        .where(eq(sessions.userId, user.id))
        .returning({ id: sessions.id });
      await tx.update(users).set({ updatedAt: now }).where(eq(users.id, user.id));
      // Someone who never set a password gets a new invite; everyone else a reset.
      const purpose = removed.length > 0 ? "reset" : "invite";
      const link = await issueLink(tx, user.id, purpose, context.actor.id, now);
      await recordAuditEvent(
        {
          actor: context.actor,
          action: "user.password_reset",
          outcome: "success",
          sourceIp: context.sourceIp,
          target: user.email,
          detail: {
            userId: user.id,
            purpose,
            sessionsEnded: ended.length,
            expiresAt: link.expiresAt.toISOString(),
          },
        },
        tx,
      );
      return {
        ok: true,
        value: { user: { id: user.id, email: user.email, name: user.name, role: user.role }, link },
      };
    }),
  );
}

export type PasswordLinkView =
  | {
      state: "valid";
      purpose: PasswordLinkPurpose;
      name: string;
      email: string;
      role: Role;
      expiresAt: Date;
    }
  | { state: "unknown" | "used" | "expired" | "disabled" };

/** What the set-password page shows for a token: whose it is, or why it does not work. */
export async function describePasswordLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<PasswordLinkView> {
  const [row] = await db
    .select({
      purpose: passwordLinks.purpose,
      expiresAt: passwordLinks.expiresAt,
      usedAt: passwordLinks.usedAt,
      name: users.name,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(passwordLinks)
    .innerJoin(users, eq(users.id, passwordLinks.userId))
    .where(eq(passwordLinks.tokenHash, hashLinkToken(token)))
    .limit(1);
  if (!row) return { state: "unknown" };
  if (row.usedAt) return { state: "used" };
  if (row.disabledAt) return { state: "disabled" };
  if (row.expiresAt.getTime() <= now.getTime()) return { state: "expired" };
  return {
    state: "valid",
    purpose: row.purpose,
    name: row.name,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt,
  };
}

/**
 * Sets the password of the link's user and uses the link up, in one transaction: the link is
 * claimed with a conditional UPDATE, so of two submissions of one link exactly one succeeds.
 * better-auth's scrypt hash goes into a `credential` account, as better-auth stores its own.
 */
export async function setPasswordWithLink(
  db: Db,
  input: Pick<SetPasswordInput, "token" | "password">,
  context: { sourceIp: string | null; now?: Date },
): Promise<ActionResult<{ email: string; role: Role }>> {
  const now = context.now ?? new Date();
  const tokenHash = hashLinkToken(input.token);
  // A cheap look first: a wrong or spent link costs no password hash (anyone may post here).
  const before = await describePasswordLink(db, input.token, now);
  if (before.state !== "valid") return failure("PASSWORD_LINK_INVALID", { state: before.state });
  // Hashing is slow on purpose: done before the transaction, which then holds its locks briefly.
  const passwordHash = await hashPassword(input.password);
  const outcome = await db
    .transaction(async (tx) => {
      const [claimed] = await tx
        .update(passwordLinks)
        .set({ usedAt: now, updatedAt: now })
        .where(
          and(
            eq(passwordLinks.tokenHash, tokenHash),
            isNull(passwordLinks.usedAt),
            sql`${passwordLinks.expiresAt} > ${now.toISOString()}`,
          ),
        )
        .returning({ userId: passwordLinks.userId, purpose: passwordLinks.purpose });
      if (!claimed) return null;
      const user = await lockUser(tx, claimed.userId);
      if (!user || user.disabledAt) {
        tx.rollback();
        return null;
      }
      await tx
        .delete(accounts)
        .where(and(eq(accounts.userId, user.id), eq(accounts.providerId, "credential")));
      await tx.insert(accounts).values({
        id: randomUUID(),
        accountId: user.id,
        providerId: "credential",
        userId: user.id,
        password: passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      // The link reached them, so the address is theirs.
      await tx.update(users).set({ emailVerified: true, updatedAt: now }).where(eq(users.id, user.id));
      await tx.delete(sessions).where(eq(sessions.userId, user.id));
      await recordAuditEvent(
        {
          actor: { type: "user", id: user.id, label: user.email },
          action: "user.password_set",
          outcome: "success",
          sourceIp: context.sourceIp,
          target: user.email,
          detail: { userId: user.id, purpose: claimed.purpose },
        },
        tx,
      );
      return { email: user.email, role: user.role };
    })
    .catch((error: unknown) => {
      if (isRollback(error)) return null;
      throw error;
    });
  if (outcome) return success(outcome);
  const view = await describePasswordLink(db, input.token, now);
  return failure("PASSWORD_LINK_INVALID", { state: view.state === "valid" ? "unknown" : view.state });
}
