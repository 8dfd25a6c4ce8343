import type { NextRequest } from "next/server";
import { z } from "zod";

import { failureResponse, NO_STORE } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { listFinishedItems, listItemChangesSince } from "@/db/queries/batch-view";
import { getBatchProgress, progressJson } from "@/db/queries/batches";
import { failure } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import type { ProgressResponse } from "@/lib/batches/contracts";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  /** `<processed_at ISO>|<seq>` from the previous answer. */
  since: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|\d+$/)
    .optional(),
  /** Reconciliation in file order: items after this seq. */
  after: z.coerce.number().int().min(0).optional(),
  /** `progress`: the counts only, no items (the batch page's progress bar). */
  only: z.literal("progress").optional(),
});

/**
 * A started batch's progress and the items that finished since the last look, for the screen that
 * watches it (polled about every 700 ms). Bounded: at most one page of changes per call.
 */
export async function GET(request: NextRequest, ctx: RouteContext<"/api/batches/[id]/progress">) {
  const { id } = await ctx.params;
  const query = querySchema.safeParse({
    since: request.nextUrl.searchParams.get("since") || undefined,
    after: request.nextUrl.searchParams.get("after") ?? undefined,
    only: request.nextUrl.searchParams.get("only") ?? undefined,
  });
  if (!z.uuid().safeParse(id).success) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  if (!query.success)
    return failureResponse(failure("INVALID_INPUT", { problem: "since or after is malformed" }));
  const auth = await authorize("batches:read");
  if (!auth.ok) return failureResponse(auth);

  const db = getDb();
  // Counts first: when they say "completed", every result is already committed and the read below sees it.
  const progress = await getBatchProgress(db, id, new Date());
  if (!progress) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));

  let body: Omit<ProgressResponse, "progress">;
  if (query.data.only === "progress") {
    body = { changes: [], cursor: null, more: false };
  } else if (query.data.after !== undefined) {
    const page = await listFinishedItems(db, id, query.data.after);
    body = { changes: page.changes, cursor: String(page.lastSeq), more: page.more };
  } else {
    const [at, seq] = query.data.since?.split("|") ?? [];
    const page = await listItemChangesSince(db, id, at ? { at, seq: Number(seq) } : null);
    body = {
      changes: page.changes,
      cursor: page.cursor ? `${page.cursor.at}|${page.cursor.seq}` : null,
      more: page.more,
    };
  }
  const response: ProgressResponse = {
    progress: progressJson(progress),
    ...body,
  };
  return Response.json(response, { headers: NO_STORE });
}
