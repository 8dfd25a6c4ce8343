"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { updateChannelPolicy } from "@/lib/settings/channel-policy";
import { channelPolicySchema } from "@/lib/settings/channel-policy-schema";

/**
 * Saves one channel's policies: partial quantities or whole lines only, fill-or-kill, the webhook
 * for cancel-request decisions (write-only secret), and the commerce `is_cargo_refund`. Admins
 * only; audited.
 */
export const updateChannelPolicyAction = defineAction(
  {
    schema: channelPolicySchema,
    permission: "settings:manage",
    audit: "settings.update",
    doing: "saving the channel policy",
    revalidate: ["/settings/connectors", "/orders", "/cancel-requests"],
  },
  (input, { actor, audit }) =>
    updateChannelPolicy(getDb(), input, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
