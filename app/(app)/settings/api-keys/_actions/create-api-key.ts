"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { success } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createApiKeySchema } from "@/lib/auth/api-key-schemas";
import { createApiKey } from "@/lib/auth/api-keys";

/**
 * Creates an API key and returns its secret, which is shown once and never again (only its hash is
 * kept). Admins only. The key and its audit event commit together.
 */
export const createApiKeyAction = defineAction(
  {
    schema: createApiKeySchema,
    permission: "settings:manage",
    audit: "api_key.create",
    doing: "creating the API key",
    revalidate: ["/settings/api-keys"],
  },
  async (input, { user, actor, audit }) => {
    const created = await getDb().transaction(async (tx) => {
      const result = await createApiKey({ ...input, createdBy: user.id }, tx);
      await recordAuditEvent(
        {
          actor: auditActorOf(actor),
          action: "api_key.create",
          target: result.key.id,
          outcome: "success",
          sourceIp: audit.sourceIp,
          detail: { name: result.key.name, prefix: result.key.prefix, scopes: result.key.scopes },
        },
        tx,
      );
      return result;
    });
    return success(created);
  },
);
