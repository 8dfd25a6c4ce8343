"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb } from "@/db/client";
import { type ActionResult, invalid } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";

import { type RetriedNotification, retryNotification } from "../_lib/retry-notifications";
import { retryNotificationSchema } from "../_lib/retry-schemas";

/** "Retry now": a dead or waiting channel notification is due at once, with fresh tries. */
export async function retryNotificationAction(input: unknown): Promise<ActionResult<RetriedNotification>> {
  const auth = await authorize("sync:retry", { action: "sync.retry" });
  if (!auth.ok) return auth;
  const parsed = retryNotificationSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);

  const result = await retryNotification(getDb(), parsed.data.cancellationId, {
    actor: auditActorOf(auth.actor),
    sourceIp: getClientIp(await headers()),
  });
  revalidatePath("/sync");
  return result;
}
