"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb } from "@/db/client";
import { type ActionResult, invalid } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";

import { connectorSettingsSchema } from "../_lib/connector-settings-schema";
import { type ConnectorSettingsSaved, updateConnectorSettings } from "../_lib/update-connector-settings";

/**
 * Saves the connector settings of one channel or warehouse: type, base URL, write-only credentials
 * (encrypted; blank keeps the stored ones), timeout, tries, enabled. Admins only. Takes the form's
 * FormData or the same fields as an object.
 */
export async function updateConnectorAction(input: unknown): Promise<ActionResult<ConnectorSettingsSaved>> {
  const auth = await authorize("settings:manage", { action: "settings.connector.updated" });
  if (!auth.ok) return auth;
  const parsed = connectorSettingsSchema.safeParse(
    input instanceof FormData ? Object.fromEntries(input) : input,
  );
  if (!parsed.success) return invalid(parsed.error);

  const result = await updateConnectorSettings(getDb(), parsed.data, {
    actor: auditActorOf(auth.actor),
    sourceIp: getClientIp(await headers()),
  });
  if (result.ok) {
    revalidatePath("/settings/connectors");
    revalidatePath("/sync");
  }
  return result;
}
