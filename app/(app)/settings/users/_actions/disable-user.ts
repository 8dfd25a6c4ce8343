"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { disableUser } from "@/lib/auth/user-accounts";
import { userIdSchema } from "@/lib/auth/user-schemas";

/** Disables a user and ends their sessions at once. Never the last active admin, never oneself. */
export const disableUserAction = defineAction(
  {
    schema: userIdSchema,
    permission: "settings:manage",
    audit: "user.disable",
    doing: "disabling the user",
    revalidate: ["/settings/users"],
  },
  (input, { actor, audit }) =>
    disableUser(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
