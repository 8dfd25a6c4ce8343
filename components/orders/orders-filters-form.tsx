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
        <FilterSelect
          name="channel"
          label="Channel"
          value={search.channel}
          options={[
            { value: "", label: "Any channel" },
            ...channels.map((c) => ({ value: c.id, label: c.name })),
          ]}
        />
        <FilterSelect
          name="warehouse"
          label="Warehouse"
          value={search.warehouse}
          options={[
            { value: "", label: "Any warehouse" },
            ...warehouses.map((w) => ({ value: w.id, label: w.name })),
          ]}
        />
        <FilterSelect
          name="status"
          label="Status"
          value={search.status}
          options={[
            { value: "", label: "Any status" },
            ...SUB_ORDER_STATUSES.map((status) => ({
              value: status,
              label: SUB_ORDER_STATUS_LABELS[status],
            })),
          ]}
        />
        <FilterSelect
          name="sort"
          label="Sort"
          value={search.sort}
          options={ORDER_SORTS.map((sort) => ({ value: sort, label: ORDER_SORT_LABELS[sort] }))}
        />
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

/** One labelled select of the search form; its value goes to the URL under `name`. */
function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
}) {
  const id = `orders-${name}`;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={selectClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
