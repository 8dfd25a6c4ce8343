import { ChevronLeft, ChevronRight } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { requestFormatter } from "@/app/_lib/request-locale";
import { PageHeader } from "@/components/app-shell/page-header";
import { OrdersFiltersForm } from "@/components/orders/orders-filters-form";
import { OrdersTable } from "@/components/orders/orders-table";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { listOrderFacets, listOrders } from "@/db/queries/orders";
import { firstValues } from "@/lib/audit/filters";
import { requirePagePermission } from "@/lib/auth/session";
import {
  ORDERS_PAGE_SIZE,
  type OrderSearch,
  orderSearchQuery,
  orderSearchSchema,
  SEARCH_MATCH_LIMIT,
} from "@/lib/orders/order-search";

const TITLE = "Orders";
const DESCRIPTION =
  "Find an order by its number, the channel's order id, a sub-order, a SKU or the customer; see every line's quantities and cancel what is still cancellable.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

type OrdersPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OrdersPage({ searchParams }: OrdersPageProps) {
  await requirePagePermission("orders:read", "/orders");
  const params = firstValues(await searchParams);
  const parsed = orderSearchSchema.safeParse(params);
  const search: OrderSearch = parsed.success ? parsed.data : orderSearchSchema.parse({});
  const error = parsed.success
    ? undefined
    : `The search was ignored: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}.`;
  const db = getDb();
  const [page, facets, f] = await Promise.all([
    listOrders(db, search),
    listOrderFacets(db),
    requestFormatter(),
  ]);
  const first = (search.page - 1) * ORDERS_PAGE_SIZE + 1;

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <OrdersFiltersForm
        search={search}
        channels={facets.channels}
        warehouses={facets.warehouses}
        error={error}
      />
      {page.capped ? (
        <p role="status" className="text-muted-foreground text-sm">
          More than {f.count(SEARCH_MATCH_LIMIT)} orders match for one of the keys; only the first are shown.
          Type more of the number or add a filter.
        </p>
      ) : null}
      <OrdersTable rows={page.rows} />
      <nav aria-label="Pagination" className="flex items-center justify-between gap-3 text-sm">
        <p className="text-muted-foreground" data-testid="orders-range">
          {page.rows.length === 0
            ? "No orders."
            : `Orders ${f.count(first)}–${f.count(first + page.rows.length - 1)}`}
        </p>
        <div className="flex items-center gap-2">
          {search.page > 1 ? (
            <Button asChild variant="outline" size="sm">
              <Link href={`/orders${orderSearchQuery({ ...search, page: search.page - 1 })}`} rel="prev">
                <ChevronLeft aria-hidden="true" />
                Previous
              </Link>
            </Button>
          ) : null}
          {page.hasMore ? (
            <Button asChild variant="outline" size="sm">
              <Link href={`/orders${orderSearchQuery({ ...search, page: search.page + 1 })}`} rel="next">
                Next
                <ChevronRight aria-hidden="true" />
              </Link>
            </Button>
          ) : null}
        </div>
      </nav>
    </>
  );
}
