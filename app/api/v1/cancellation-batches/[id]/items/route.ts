import { listBatchItemSummaries } from "@/db/queries/batch-view";
import { getBatch } from "@/db/queries/batches";
import {
  decodeBatchItemsCursor,
  encodeBatchItemsCursor,
  listCancellationBatchItems,
} from "@/lib/api/contract/operations/batches";
import { fail, ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../../../_lib/api-route";
import { itemJson } from "../../_lib/batch-json";

export const dynamic = "force-dynamic";

const DEFAULT_LIMIT = 50;

/**
 * A page of a batch's items in file order. The cursor holds where the page ended and the last seq
 * given; the next page is read from up to one page before that point, so that items which left the
 * filtered set meanwhile (a PENDING item that finished) do not push others past the reader, and
 * items already given are dropped (an item that just failed lands before the point).
 */
export const GET = apiRoute(listCancellationBatchItems, async ({ params, query, db }) => {
  if (!(await getBatch(db, params.id))) return fail("BATCH_NOT_FOUND", { batchId: params.id });
  const limit = query.limit ?? DEFAULT_LIMIT;
  const from = (query.cursor ? decodeBatchItemsCursor(query.cursor) : null) ?? { offset: 0, lastSeq: 0 };
  const overlap = Math.min(from.offset, limit);
  const start = from.offset - overlap;
  const page = await listBatchItemSummaries(db, params.id, {
    offset: start,
    limit: overlap + limit,
    status: query.status,
  });
  const rows = page.items.filter((item) => item.seq > from.lastSeq).slice(0, limit);
  const last = rows.at(-1);
  const end = last ? start + page.items.indexOf(last) + 1 : start + page.items.length;
  const nextCursor =
    end < page.total ? encodeBatchItemsCursor({ offset: end, lastSeq: last?.seq ?? from.lastSeq }) : null;
  return ok({ status: 200, body: { ok: true, data: rows.map(itemJson), nextCursor } });
});
