"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { previewBatch } from "@/lib/batches/preview-batch";

const previewBatchSchema = z.object({ batchId: z.uuid("Not a batch id") });

/** The dry run of a batch: what each waiting row would do now, and the totals. Writes nothing. */
export const previewBatchAction = defineAction(
  { schema: previewBatchSchema, permission: "batches:read", doing: "running the dry run" },
  async ({ batchId }) => {
    const result = await previewBatch(getDb(), batchId);
    return result.ok ? success(result.value) : failureOf(result.error);
  },
);
