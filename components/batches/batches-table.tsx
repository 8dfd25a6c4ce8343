"use client";

import { useTable } from "@tanstack/react-table";

import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";

import { type BatchListItem, batchesColumns } from "./batches-columns";

/** A page of past runs (the page and its size come from the URL; the query pages in the database). */
export function BatchesTable({ batches }: { batches: BatchListItem[] }) {
  const table = useTable({
    features: dataTableFeatures,
    columns: batchesColumns,
    data: batches,
    getRowId: (row) => row.id,
  });
  return (
    <DataTable table={table} label="Batches" empty="No batches yet. Upload a CSV file under Cancellations." />
  );
}
