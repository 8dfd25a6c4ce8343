"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failure, success } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeApiKeySchema } from "@/lib/auth/api-key-schemas";
import { revokeApiKey } from "@/lib/auth/api-keys";

/** Revokes an API key at once: the next request made with it is refused. Admins only. */
export const revokeApiKeyAction = defineAction(
  {
    schema: revokeApiKeySchema,
    permission: "settings:manage",
    audit: "api_key.revoke",
    doing: "revoking the API key",
    revalidate: ["/settings/api-keys"],
  },
  async ({ id }, { actor, audit }) => {
    const revoked = await getDb().transaction(async (tx) => {
      const key = await revokeApiKey(id, tx);
      if (!key) return null;
      await recordAuditEvent(
        {
          actor: auditActorOf(actor),
          action: "api_key.revoke",
          target: key.id,
          outcome: "success",
          sourceIp: audit.sourceIp,
          detail: { name: key.name, prefix: key.prefix },
        },
        tx,
      );
      return key;
    });
    return revoked ? success(revoked) : failure("API_KEY_NOT_FOUND", { id });
  },
);
