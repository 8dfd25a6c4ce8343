"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { renameReason } from "@/lib/reasons/rename-reason";
import { renameReasonSchema } from "@/lib/reasons/schemas";

/** Gives a reason a new label (the code stays). Admins only; audited. */
export const renameReasonAction = defineAction(
  {
    schema: renameReasonSchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "renaming the reason",
    revalidate: ["/settings/reasons", "/cancellations"],
  },
  (input, { actor, audit }) =>
    renameReason(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
