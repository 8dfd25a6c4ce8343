import { listOrders } from "@/db/queries/orders";
import {
  decodeOrdersCursor,
  encodeOrdersCursor,
  listOrders as listOrdersOperation,
} from "@/lib/api/contract/operations/orders";
import { ok } from "@/lib/cancellation/errors";
import { ORDERS_PAGE_SIZE, type OrderSearch } from "@/lib/orders/order-search";
import { apiRoute } from "../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * The Orders screen's search, cursor-paged. The cursor is an opaque position in the search's own
 * order, bound to its filters; the screen's query reads fixed pages of ORDERS_PAGE_SIZE, so a page
 * of `limit` rows starting anywhere is read from at most two of them.
 */
export const GET = apiRoute(listOrdersOperation, async ({ query, db }) => {
  const { cursor, limit = ORDERS_PAGE_SIZE, exceptions, sort = "newest", ...filters } = query;
  const search: Omit<OrderSearch, "page"> = {
    ...filters,
    exceptions: exceptions === "true" ? "1" : undefined,
    sort,
  };
  const offset = cursor === undefined ? 0 : (decodeOrdersCursor(cursor, query) ?? 0);

  const firstPage = Math.floor(offset / ORDERS_PAGE_SIZE) + 1;
  const first = await listOrders(db, { ...search, page: firstPage });
  let rows = first.rows.slice(offset % ORDERS_PAGE_SIZE);
  let more = first.hasMore;
  let capped = first.capped;
  if (rows.length < limit && first.hasMore) {
    const second = await listOrders(db, { ...search, page: firstPage + 1 });
    rows = [...rows, ...second.rows];
    more = second.hasMore;
    capped ||= second.capped;
  }
  const hasNext = rows.length > limit || more;
  const page = rows.slice(0, limit);
  return ok({
    status: 200,
    body: {
      ok: true,
      data: page,
      nextCursor: hasNext && page.length > 0 ? encodeOrdersCursor(offset + page.length, query) : null,
      capped,
    },
  });
});
