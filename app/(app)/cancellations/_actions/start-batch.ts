"use server";

import { headers } from "next/headers";
import { z } from "zod";

import type { StartResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { type ActionResult, failureOf, invalid, success } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import { can } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/session";
import { startBatch } from "@/lib/batches/start-batch";

import { unexpectedFailure } from "../_lib/unexpected-failure";

const startBatchSchema = z.object({
  batchId: z.uuid("Not a batch id"),
  confirmDuplicate: z.boolean().default(false),
});

/**
 * Hands a draft batch to the runner. Idempotent: a second call (double click, second tab, second
 * user) finds it started and says so; nothing runs twice. Only its uploader or an admin starts it;
 * the start is audited with the run, under the person who started it.
 */
export async function startBatchAction(input: unknown): Promise<ActionResult<StartResult>> {
  const parsed = startBatchSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { batchId, confirmDuplicate } = parsed.data;
  const auth = await authorize("cancel:bulk", { action: "batch.start", target: batchId });
  if (!auth.ok) return auth;
  try {
    const result = await startBatch(getDb(), {
      batchId,
      confirmDuplicate,
      now: new Date(),
      startedBy: { type: auth.actor.type, id: auth.actor.id, name: auth.actor.name },
      mayStartAny: can(auth.user.role, "batches:start-any"),
      audit: { label: auditActorOf(auth.actor).label, sourceIp: getClientIp(await headers()) },
    });
    if (!result.ok) return failureOf(result.error);
    return success(result.value);
  } catch (error) {
    return unexpectedFailure(error, "starting the batch");
  }
}
