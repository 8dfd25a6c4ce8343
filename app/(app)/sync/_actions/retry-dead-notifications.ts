"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";

import { getDb } from "@/db/client";
import { type ActionResult, invalid } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";

import { retryDeadNotifications } from "../_lib/retry-notifications";
import { retryDeadNotificationsSchema } from "../_lib/retry-schemas";

/** "Retry all dead for this channel": every dead letter of one channel is due at once, with fresh tries. */
export async function retryDeadNotificationsAction(
  input: unknown,
): Promise<ActionResult<{ channelId: string; count: number }>> {
  const auth = await authorize("sync:retry", { action: "sync.retry" });
  if (!auth.ok) return auth;
  const parsed = retryDeadNotificationsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);

  const result = await retryDeadNotifications(getDb(), parsed.data.channelId, {
    actor: auditActorOf(auth.actor),
    sourceIp: getClientIp(await headers()),
  });
  revalidatePath("/sync");
  return result;
}
