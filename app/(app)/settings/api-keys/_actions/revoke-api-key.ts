"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb } from "@/db/client";
import { type ActionResult, failure, invalid, success } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeApiKeySchema } from "@/lib/auth/api-key-schemas";
import { type ApiKeySummary, revokeApiKey } from "@/lib/auth/api-keys";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";

/** Revokes an API key at once: the next request made with it is refused. Admins only. */
export async function revokeApiKeyAction(input: unknown): Promise<ActionResult<ApiKeySummary>> {
  const auth = await authorize("settings:manage", { action: "api_key.revoke" });
  if (!auth.ok) return auth;
  const parsed = revokeApiKeySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);

  const sourceIp = getClientIp(await headers());
  const revoked = await getDb().transaction(async (tx) => {
    const key = await revokeApiKey(parsed.data.id, tx);
    if (!key) return null;
    await recordAuditEvent(
      {
        actor: auditActorOf(auth.actor),
        action: "api_key.revoke",
        target: key.id,
        outcome: "success",
        sourceIp,
        detail: { name: key.name, prefix: key.prefix },
      },
      tx,
    );
    return key;
  });
  if (!revoked) return failure("API_KEY_NOT_FOUND", { id: parsed.data.id });
  revalidatePath("/settings/api-keys");
  return success(revoked);
}
