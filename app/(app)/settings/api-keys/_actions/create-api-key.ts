"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb } from "@/db/client";
import { type ActionResult, invalid, success } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createApiKeySchema } from "@/lib/auth/api-key-schemas";
import { type ApiKeySummary, createApiKey } from "@/lib/auth/api-keys";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";

/**
 * Creates an API key and returns its secret, which is shown once and never again (only its hash is
 * kept). Admins only. The key and its audit event commit together.
 */
export async function createApiKeyAction(
  input: unknown,
): Promise<ActionResult<{ key: ApiKeySummary; secret: string }>> {
  // Permission first: a caller without it learns nothing, not even what the input should be.
  const auth = await authorize("settings:manage", { action: "api_key.create" });
  if (!auth.ok) return auth;
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);

  const sourceIp = getClientIp(await headers());
  const created = await getDb().transaction(async (tx) => {
    const result = await createApiKey({ ...parsed.data, createdBy: auth.user.id }, tx);
    await recordAuditEvent(
      {
        actor: auditActorOf(auth.actor),
        action: "api_key.create",
        target: result.key.id,
        outcome: "success",
        sourceIp,
        detail: { name: result.key.name, prefix: result.key.prefix, scopes: result.key.scopes },
      },
      tx,
    );
    return result;
  });
  revalidatePath("/settings/api-keys");
  return success(created);
}
