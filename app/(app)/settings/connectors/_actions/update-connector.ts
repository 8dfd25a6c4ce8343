"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";

import { connectorSettingsSchema } from "../_lib/connector-settings-schema";
import { updateConnectorSettings } from "../_lib/update-connector-settings";

/**
 * Saves the connector settings of one channel or warehouse: type, base URL, write-only credentials
 * (encrypted; blank keeps the stored ones), timeout, tries, enabled. Admins only. Takes the form's
 * FormData or the same fields as an object.
 */
export const updateConnectorAction = defineAction(
  {
    schema: connectorSettingsSchema,
    permission: "settings:manage",
    audit: "settings.connector.updated",
    doing: "saving the connector settings",
    revalidate: ["/settings/connectors", "/sync"],
  },
  (input, { actor, audit }) =>
    updateConnectorSettings(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
