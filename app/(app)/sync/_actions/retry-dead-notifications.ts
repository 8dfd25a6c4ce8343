"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";

import { retryDeadNotifications } from "../_lib/retry-notifications";
import { retryDeadNotificationsSchema } from "../_lib/retry-schemas";

/** "Retry all dead for this channel": every dead letter of one channel is due at once, with fresh tries. */
export const retryDeadNotificationsAction = defineAction(
  {
    schema: retryDeadNotificationsSchema,
    permission: "sync:retry",
    audit: "sync.retry",
    doing: "retrying the dead notifications",
    revalidate: ["/sync"],
  },
  ({ channelId }, { actor, audit }) =>
    retryDeadNotifications(getDb(), channelId, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
