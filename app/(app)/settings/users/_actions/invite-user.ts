"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { inviteUser } from "@/lib/auth/user-accounts";
import { inviteUserSchema } from "@/lib/auth/user-schemas";

/**
 * Invites a user with a role and returns their one-time set-password link, shown to the admin once
 * (only its hash is kept; no mail is sent). Admins only; audited with the new user.
 */
export const inviteUserAction = defineAction(
  {
    schema: inviteUserSchema,
    permission: "settings:manage",
    audit: "user.invite",
    doing: "inviting the user",
    revalidate: ["/settings/users"],
  },
  (input, { actor, audit }) =>
    inviteUser(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
