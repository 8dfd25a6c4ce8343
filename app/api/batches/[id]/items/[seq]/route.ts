import { z } from "zod";

import { failureResponse, NO_STORE } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { listBatchItemRows } from "@/db/queries/batch-view";
import { getBatch } from "@/db/queries/batches";
import { failure } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import type { ItemRowsResponse } from "@/lib/batches/contracts";
import { matchColumns } from "@/lib/csv/headers";

export const dynamic = "force-dynamic";

/** One item's rows as uploaded: the lines of a line-item group, for the dialog behind its Sub Order ID. */
export async function GET(_request: Request, ctx: RouteContext<"/api/batches/[id]/items/[seq]">) {
  const { id, seq } = await ctx.params;
  const seqNumber = z.coerce.number().int().min(1).safeParse(seq);
  if (!z.uuid().safeParse(id).success || !seqNumber.success) {
    return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id, seq: seq }));
  }
  const auth = await authorize("batches:read");
  if (!auth.ok) return failureResponse(auth);

  const db = getDb();
  const batch = await getBatch(db, id);
  if (!batch) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  const match = matchColumns(batch.kind, batch.headers);
  const columns = match.ok ? match.columns : { subOrderId: 0 };
  const rows = await listBatchItemRows(db, id, seqNumber.data);
  const body: ItemRowsResponse = {
    rows: rows.map((r) => ({
      rowNumber: r.rowNumber,
      sku: r.sku ?? (columns.sku === undefined ? "" : (r.cells[columns.sku] ?? "")),
      quantity:
        r.quantity !== null
          ? String(r.quantity)
          : columns.quantity === undefined
            ? ""
            : (r.cells[columns.quantity] ?? ""),
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
    })),
  };
  return Response.json(body, { headers: NO_STORE });
}
