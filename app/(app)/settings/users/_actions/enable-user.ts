"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { enableUser } from "@/lib/auth/user-accounts";
import { userIdSchema } from "@/lib/auth/user-schemas";

/** Enables a disabled user again: they may sign in. */
export const enableUserAction = defineAction(
  {
    schema: userIdSchema,
    permission: "settings:manage",
    audit: "user.enable",
    doing: "enabling the user",
    revalidate: ["/settings/users"],
  },
  (input, { actor, audit }) =>
    enableUser(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
