"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { removeReasonMapping, saveReasonMapping } from "@/lib/reasons/save-reason-mapping";
import { removeReasonMappingSchema, saveReasonMappingSchema } from "@/lib/reasons/schemas";

/** Maps one of our reasons to a channel's code or text. Admins only; audited. */
export const saveReasonMappingAction = defineAction(
  {
    schema: saveReasonMappingSchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "saving the reason mapping",
    revalidate: ["/settings/reasons"],
  },
  (input, { actor, audit }) =>
    saveReasonMapping(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);

/** Removes a reason's mapping on a channel. Admins only; audited. */
export const removeReasonMappingAction = defineAction(
  {
    schema: removeReasonMappingSchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "removing the reason mapping",
    revalidate: ["/settings/reasons"],
  },
  (input, { actor, audit }) =>
    removeReasonMapping(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
