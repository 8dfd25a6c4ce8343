"use server";

import { z } from "zod";

import type { PreviewResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { type ActionResult, failureOf, invalid, success } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import { previewBatch } from "@/lib/batches/preview-batch";

import { unexpectedFailure } from "../_lib/unexpected-failure";

const previewBatchSchema = z.object({ batchId: z.uuid("Not a batch id") });

/** The dry run of a batch: what each waiting row would do now, and the totals. Writes nothing. */
export async function previewBatchAction(input: unknown): Promise<ActionResult<PreviewResult>> {
  const parsed = previewBatchSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const auth = await authorize("batches:read");
  if (!auth.ok) return auth;
  try {
    const result = await previewBatch(getDb(), parsed.data.batchId);
    if (!result.ok) return failureOf(result.error);
    return success(result.value);
  } catch (error) {
    return unexpectedFailure(error, "running the dry run");
  }
}
