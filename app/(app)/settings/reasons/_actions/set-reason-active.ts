"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { setReasonActiveSchema } from "@/lib/reasons/schemas";
import { setReasonActive } from "@/lib/reasons/set-reason-active";

/** Deactivates or reactivates a reason (never deletes it). Admins only; audited. */
export const setReasonActiveAction = defineAction(
  {
    schema: setReasonActiveSchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "changing whether the reason is active",
    revalidate: ["/settings/reasons", "/cancellations"],
  },
  (input, { actor, audit }) =>
    setReasonActive(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
