"use client";

import { useTable } from "@tanstack/react-table";
import { useCallback, useMemo, useState } from "react";

import { type BulkRow, rowsFromStoredItems, type StoredItem } from "@/components/cancellations/bulk-rows";
import { bulkRowsColumns } from "@/components/cancellations/bulk-rows-columns";
import { LineItemsDialog } from "@/components/cancellations/line-items-dialog";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";
import type { CsvKind } from "@/lib/csv/templates";

type BatchItemsTableProps = {
  batchId: string;
  kind: CsvKind;
  started: boolean;
  items: StoredItem[];
};

/** One page of a batch's rows (one per sub-order group for line items, whose lines open in a dialog). */
export function BatchItemsTable({ batchId, kind, started, items }: BatchItemsTableProps) {
  const rows = useMemo(() => rowsFromStoredItems(items, started), [items, started]);
  const [openRow, setOpenRow] = useState<BulkRow | null>(null);
  const onOpenLines = useCallback((row: BulkRow) => setOpenRow(row), []);
  const columns = useMemo(() => bulkRowsColumns(kind, onOpenLines, { sync: true }), [kind, onOpenLines]);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => String(row.seq),
  });
  return (
    <>
      <DataTable
        table={table}
        label="Batch rows"
        empty="No rows with this status."
        rowAttributes={(row) => ({
          "data-status": row.original.status,
          "data-seq": String(row.original.seq),
        })}
      />
      {kind === "line_items" ? (
        <LineItemsDialog row={openRow} batchId={batchId} onOpenChange={(open) => !open && setOpenRow(null)} />
      ) : null}
    </>
  );
}
