"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { resetUserPassword } from "@/lib/auth/user-accounts";
import { userIdSchema } from "@/lib/auth/user-schemas";

/**
 * Resets a user's password: the old one stops working, their sessions end, and a new one-time link
 * is returned to the admin, once.
 */
export const resetPasswordAction = defineAction(
  {
    schema: userIdSchema,
    permission: "settings:manage",
    audit: "user.password_reset",
    doing: "resetting the password",
    revalidate: ["/settings/users"],
  },
  (input, { actor, audit }) =>
    resetUserPassword(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
