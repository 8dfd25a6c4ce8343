"use client";

import { createColumnHelper } from "@tanstack/react-table";

import type { DataTableFeatures } from "@/components/data-table/features";
import type { CsvKind } from "@/lib/csv/templates";

import type { BulkRow } from "./bulk-rows";
import { formatRowNumbers } from "./format";
import { StatusBadge } from "./status-badge";

const helper = createColumnHelper<DataTableFeatures, BulkRow>();

/*
 * Cells read `row.original` directly (display columns, no accessor): rows are updated in place as
 * results land, and an accessor's value would be cached by the table.
 */

const rowColumn = helper.display({
  id: "row",
  header: "Row",
  meta: { width: "6.5rem" },
  cell: ({ row }) => (
    <span className="truncate font-mono text-muted-foreground text-xs tabular-nums">
      {formatRowNumbers(row.original.rowNumbers)}
    </span>
  ),
});

const statusColumn = helper.display({
  id: "status",
  header: "Status",
  meta: { width: "9.5rem" },
  cell: ({ row }) => <StatusBadge status={row.original.status} />,
});

const messageColumn = helper.display({
  id: "message",
  header: "Message",
  meta: { width: "minmax(16rem, 1fr)" },
  cell: ({ row }) => {
    const { code, message } = row.original;
    if (!message && !code) return <span className="text-muted-foreground">—</span>;
    const text = code && message ? `${code}: ${message}` : (message ?? code ?? "");
    return (
      // One line in the virtual table (fixed row height); wrapped in a plain table cell.
      <span className="truncate in-data-[slot=table-cell]:whitespace-normal" title={text}>
        {code ? <span className="mr-1.5 font-mono text-xs">{code}</span> : null}
        <span className={code ? "text-muted-foreground" : undefined}>{message}</span>
      </span>
    );
  },
});

const subOrderText = helper.display({
  id: "subOrderId",
  header: "Sub Order ID",
  meta: { width: "minmax(9rem, 12rem)" },
  cell: ({ row }) =>
    row.original.subOrderId ? (
      <span className="truncate font-mono text-sm">{row.original.subOrderId}</span>
    ) : (
      <span className="text-muted-foreground italic">(empty)</span>
    ),
});

const SYNC_LABELS: Record<string, string> = {
  pending: "Pending",
  retrying: "Retrying",
  delivered: "Delivered",
  dead: "Failed",
};

/** A stored batch's rows: whether the channel has been told (see the Sync screen). */
const syncColumn = helper.display({
  id: "sync",
  header: "Channel sync",
  meta: { width: "8rem" },
  cell: ({ row }) => {
    const state = row.original.syncState;
    if (!state) return <span className="text-muted-foreground">—</span>;
    return (
      <span data-sync={state} className={state === "dead" ? "font-medium text-destructive" : undefined}>
        {SYNC_LABELS[state] ?? state}
      </span>
    );
  },
});

/**
 * The columns of the upload table: sub-order files show a row per sub-order; line-item files a row
 * per group. A stored batch adds where telling the channel stands.
 */
export function bulkRowsColumns(
  kind: CsvKind,
  onOpenLines: (row: BulkRow) => void,
  options: { sync?: boolean } = {},
) {
  const tail = options.sync ? [statusColumn, messageColumn, syncColumn] : [statusColumn, messageColumn];
  if (kind === "sub_orders") return helper.columns([rowColumn, subOrderText, ...tail]);
  return helper.columns([
    rowColumn,
    helper.display({
      id: "subOrderId",
      header: "Sub Order ID",
      meta: { width: "minmax(9rem, 12rem)" },
      cell: ({ row }) =>
        row.original.subOrderId ? (
          <button
            type="button"
            onClick={() => onOpenLines(row.original)}
            className="truncate rounded-sm font-mono text-primary text-sm underline underline-offset-4 hover:text-primary/80"
            aria-haspopup="dialog"
          >
            {row.original.subOrderId}
          </button>
        ) : (
          <span className="text-muted-foreground italic">(empty)</span>
        ),
    }),
    helper.display({
      id: "lines",
      header: "Lines",
      meta: { width: "4.5rem", align: "end" },
      cell: ({ row }) => <span className="tabular-nums">{row.original.rowNumbers.length}</span>,
    }),
    ...tail,
  ]);
}
