"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { changeUserRole } from "@/lib/auth/user-accounts";
import { changeRoleSchema } from "@/lib/auth/user-schemas";

/** Changes a user's role; it applies on their next request. The last active admin keeps theirs. */
export const changeRoleAction = defineAction(
  {
    schema: changeRoleSchema,
    permission: "settings:manage",
    audit: "user.role_change",
    doing: "changing the role",
    revalidate: ["/settings/users"],
  },
  (input, { actor, audit }) =>
    changeUserRole(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
