"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { addReason } from "@/lib/reasons/add-reason";
import { addReasonSchema } from "@/lib/reasons/schemas";

/** Adds a reason people can pick (code, label, initiator). Admins only; audited. */
export const addReasonAction = defineAction(
  {
    schema: addReasonSchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "adding the reason",
    revalidate: ["/settings/reasons", "/cancellations"],
  },
  (input, { actor, audit }) =>
    addReason(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
