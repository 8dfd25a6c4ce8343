"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { auditActorOf } from "@/lib/audit/record-audit-event";

import { retryNotification } from "../_lib/retry-notifications";
import { retryNotificationSchema } from "../_lib/retry-schemas";

/** "Retry now": a dead or waiting channel notification is due at once, with fresh tries. */
export const retryNotificationAction = defineAction(
  {
    schema: retryNotificationSchema,
    permission: "sync:retry",
    audit: "sync.retry",
    doing: "retrying the notification",
    revalidate: ["/sync"],
  },
  ({ cancellationId }, { actor, audit }) =>
    retryNotification(getDb(), cancellationId, { actor: auditActorOf(actor), sourceIp: audit.sourceIp }),
);
