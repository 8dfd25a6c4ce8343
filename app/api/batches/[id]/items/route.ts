import type { NextRequest } from "next/server";
import { z } from "zod";

import { failureResponse, NO_STORE } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { ITEM_STATUS_FILTERS, listBatchItemSummaries } from "@/db/queries/batch-view";
import { getBatch } from "@/db/queries/batches";
import { failure } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import type { ItemsResponse } from "@/lib/batches/contracts";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(20_000).default(1_000),
  status: z.enum(ITEM_STATUS_FILTERS).default("all"),
});

/** A page of a batch's items in file order: how a reopened run rebuilds its table. */
export async function GET(request: NextRequest, ctx: RouteContext<"/api/batches/[id]/items">) {
  const { id } = await ctx.params;
  const params = request.nextUrl.searchParams;
  const query = querySchema.safeParse({
    offset: params.get("offset") ?? undefined,
    limit: params.get("limit") ?? undefined,
    status: params.get("status") ?? undefined,
  });
  if (!z.uuid().safeParse(id).success) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  if (!query.success)
    return failureResponse(failure("INVALID_INPUT", { problem: "offset, limit or status is malformed" }));
  const auth = await authorize("batches:read");
  if (!auth.ok) return failureResponse(auth);

  const db = getDb();
  if (!(await getBatch(db, id))) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  const page = await listBatchItemSummaries(db, id, query.data);
  const body: ItemsResponse = { items: page.items, total: page.total };
  return Response.json(body, { headers: NO_STORE });
}
