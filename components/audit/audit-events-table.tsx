"use client";

import { useTable } from "@tanstack/react-table";

import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";

import { type AuditEventView, auditEventsColumns } from "./audit-events-columns";

/** One page of audit events; filters and paging live in the URL and the query. */
export function AuditEventsTable({ rows }: { rows: AuditEventView[] }) {
  const table = useTable({
    features: dataTableFeatures,
    columns: auditEventsColumns,
    data: rows,
    getRowId: (row) => String(row.id),
  });
  return (
    <DataTable
      table={table}
      label="Audit events"
      empty="No audit events match these filters."
      rowAttributes={(row) => ({ "data-outcome": row.original.outcome })}
    />
  );
}
