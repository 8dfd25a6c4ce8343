"use client";

import { useTable } from "@tanstack/react-table";

import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";
import type { OrderListRow } from "@/db/queries/orders";

import { ordersColumns } from "./orders-columns";

/** One page of orders; search, filters, sort and page live in the URL and the query. */
export function OrdersTable({ rows }: { rows: OrderListRow[] }) {
  const table = useTable({
    features: dataTableFeatures,
    columns: ordersColumns,
    data: rows,
    getRowId: (row) => row.id,
  });
  return (
    <DataTable
      table={table}
      label="Orders"
      empty="No orders match this search."
      rowAttributes={(row) => ({ "data-order": row.original.id, "data-status": row.original.status })}
    />
  );
}
