"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { can } from "@/lib/auth/permissions";
import { retryFailedRows } from "@/lib/batches/retry-failed";

const retryFailedRowsSchema = z.object({ batchId: z.uuid("Not a batch id") });

/** "Retry failed rows": the retryable failures of a finished batch run again as a new, linked batch. */
export const retryFailedRowsAction = defineAction(
  {
    schema: retryFailedRowsSchema,
    permission: "cancel:bulk",
    audit: "batch.retry",
    doing: "retrying the failed rows",
    revalidate: ["/batches"],
  },
  async ({ batchId }, { user, actor, audit }) => {
    const result = await retryFailedRows(getDb(), {
      batchId,
      actor: { type: actor.type, id: actor.id, name: actor.name },
      mayStartAny: can(user.role, "batches:start-any"),
      audit,
    });
    return result.ok ? success(result.value) : failureOf(result.error);
  },
);
