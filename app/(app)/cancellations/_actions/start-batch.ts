"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { can } from "@/lib/auth/permissions";
import { startBatch } from "@/lib/batches/start-batch";

const startBatchSchema = z.object({
  batchId: z.uuid("Not a batch id"),
  confirmDuplicate: z.boolean().default(false),
});

/**
 * Hands a draft batch to the runner. Idempotent: a second call (double click, second tab, second
 * user) finds it started and says so; nothing runs twice. Only its uploader or an admin starts it;
 * the start is audited with the run, under the person who started it.
 */
export const startBatchAction = defineAction(
  { schema: startBatchSchema, permission: "cancel:bulk", audit: "batch.start", doing: "starting the batch" },
  async ({ batchId, confirmDuplicate }, { user, actor, audit }) => {
    const result = await startBatch(getDb(), {
      batchId,
      confirmDuplicate,
      now: new Date(),
      startedBy: { type: actor.type, id: actor.id, name: actor.name },
      mayStartAny: can(user.role, "batches:start-any"),
      audit,
    });
    return result.ok ? success(result.value) : failureOf(result.error);
  },
);
