"use client";

import { useTable } from "@tanstack/react-table";

import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";

import { type ConnectorRowView, connectorsColumns } from "./connectors-columns";

/** Channels or warehouses with their connector settings (a handful of rows: no paging). */
export function ConnectorsTable({ rows, label }: { rows: ConnectorRowView[]; label: string }) {
  const table = useTable({
    features: dataTableFeatures,
    columns: connectorsColumns,
    data: rows,
    getRowId: (row) => `${row.target}:${row.id}`,
  });
  return (
    <DataTable
      table={table}
      label={label}
      empty="None yet."
      rowAttributes={(row) => ({ "data-connector-id": row.original.id })}
    />
  );
}
