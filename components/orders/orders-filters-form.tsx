import Link from "next/link";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { SUB_ORDER_STATUS_LABELS, SUB_ORDER_STATUSES } from "@/lib/cancellation/status";
import { ORDER_SORT_LABELS, ORDER_SORTS, type OrderSearch } from "@/lib/orders/order-search";

const selectClass =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs focus-visible:border-ring";

type Option = { id: string; name: string };

/**
 * The Orders screen's search as a plain GET form: a search changes the URL, so a result can be
 * bookmarked and shared, and it works without JavaScript.
 */
export function OrdersFiltersForm({
  search,
  channels,
  warehouses,
  error,
}: {
  search: OrderSearch;
  channels: Option[];
  warehouses: Option[];
  error?: string;
}) {
  const errorId = "orders-filters-error";
  return (
    <search aria-label="Search orders">
      <form
        method="get"
        action="/orders"
        aria-describedby={error ? errorId : undefined}
        className="grid gap-3 rounded-lg border bg-card p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto]"
      >
        <div className="flex flex-col gap-1.5">
          <label htmlFor="orders-q" className="font-medium text-sm">
            Search
          </label>
          <Input
            id="orders-q"
            name="q"
            type="search"
            defaultValue={search.q ?? ""}
            placeholder="Order no., channel order id, sub-order, SKU or customer"
            aria-describedby="orders-q-hint"
          />
          <span id="orders-q-hint" className="text-muted-foreground text-xs">
            Matches the start of each: "PO-45", "SO-0000", "TSHIRT", "ada".
          </span>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="orders-channel" className="font-medium text-sm">
            Channel
          </label>
          <select
            id="orders-channel"
            name="channel"
            defaultValue={search.channel ?? ""}
            className={selectClass}
          >
            <option value="">Any channel</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="orders-warehouse" className="font-medium text-sm">
            Warehouse
          </label>
          <select
            id="orders-warehouse"
            name="warehouse"
            defaultValue={search.warehouse ?? ""}
            className={selectClass}
          >
            <option value="">Any warehouse</option>
            {warehouses.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="orders-status" className="font-medium text-sm">
            Status
          </label>
          <select id="orders-status" name="status" defaultValue={search.status ?? ""} className={selectClass}>
            <option value="">Any status</option>
            {SUB_ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {SUB_ORDER_STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="orders-sort" className="font-medium text-sm">
            Sort
          </label>
          <select id="orders-sort" name="sort" defaultValue={search.sort} className={selectClass}>
            {ORDER_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {ORDER_SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex h-9 items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="exceptions"
              value="1"
              defaultChecked={search.exceptions === "1"}
              className="size-4 accent-primary"
            />
            Exceptions
          </label>
          <Button type="submit">Search</Button>
          <Button asChild variant="ghost">
            <Link href="/orders">Clear</Link>
          </Button>
        </div>
        {error ? (
          <p id={errorId} role="alert" className="text-destructive text-sm sm:col-span-full">
            {error}
          </p>
        ) : null}
      </form>
    </search>
  );
}
