"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import type { DataTableFeatures } from "@/components/data-table/features";
import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";

import { BATCH_KIND_LABELS, BATCH_STATUS_LABELS, BATCH_STATUS_VARIANT } from "./batch-labels";

/** One past run, as the batch list shows it (dates as ISO strings: they cross from the server). */
export type BatchListItem = {
  id: string;
  kind: string;
  fileName: string;
  status: string;
  createdByName: string;
  createdAt: string;
  finishedAt: string | null;
  totalItems: number;
  totalRows: number;
  success: number;
  error: number;
};

const helper = createColumnHelper<DataTableFeatures, BatchListItem>();

export const batchesColumns = helper.columns([
  helper.accessor("fileName", {
    header: "File",
    cell: ({ row }) => (
      <Link
        href={`/batches/${row.original.id}`}
        className="font-medium underline-offset-4 hover:underline"
        title={`Batch ${row.original.id}`}
      >
        {row.original.fileName}
      </Link>
    ),
  }),
  helper.accessor("kind", {
    header: "Kind",
    cell: ({ getValue }) => BATCH_KIND_LABELS[getValue()] ?? getValue(),
  }),
  helper.accessor("status", {
    header: "Status",
    cell: ({ getValue }) => (
      <Badge variant={BATCH_STATUS_VARIANT[getValue()] ?? "outline"}>
        {BATCH_STATUS_LABELS[getValue()] ?? getValue()}
      </Badge>
    ),
  }),
  helper.accessor("createdByName", { header: "Uploaded by" }),
  helper.accessor("createdAt", {
    header: "Uploaded",
    cell: ({ getValue }) => <FormattedDate value={getValue()} className="text-muted-foreground" />,
  }),
  helper.accessor("totalRows", {
    header: "Rows",
    meta: { align: "end" },
    cell: ({ getValue }) => <FormattedCount value={getValue()} />,
  }),
  helper.accessor("success", {
    header: "Succeeded",
    meta: { align: "end" },
    cell: ({ getValue }) => (
      <span className="text-success">
        <FormattedCount value={getValue()} />
      </span>
    ),
  }),
  helper.accessor("error", {
    header: "Failed",
    meta: { align: "end" },
    cell: ({ getValue }) => (
      <span className={getValue() > 0 ? "text-destructive" : "text-muted-foreground"}>
        <FormattedCount value={getValue()} />
      </span>
    ),
  }),
]);
