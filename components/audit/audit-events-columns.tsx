"use client";

import { createColumnHelper } from "@tanstack/react-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";

/** One audit event as the page hands it to the table. */
export type AuditEventView = {
  id: number;
  at: Date;
  actorType: string;
  actorLabel: string;
  sourceIp: string | null;
  action: string;
  target: string | null;
  outcome: "success" | "failure" | "denied";
  detail: Record<string, unknown> | null;
};

const helper = createColumnHelper<DataTableFeatures, AuditEventView>();

const OUTCOME_VARIANT = { success: "success", failure: "destructive", denied: "warning" } as const;

function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

export const auditEventsColumns = [
  helper.display({
    id: "at",
    header: "Time",
    meta: { width: "11rem" },
    cell: ({ row }) => (
      <FormattedDate value={row.original.at} seconds className="whitespace-nowrap text-xs tabular-nums" />
    ),
  }),
  helper.display({
    id: "actor",
    header: "Actor",
    cell: ({ row }) => (
      <div className="flex min-w-0 flex-col">
        <span className="truncate">{row.original.actorLabel}</span>
        <span className="text-muted-foreground text-xs">{row.original.actorType.replace("_", " ")}</span>
      </div>
    ),
  }),
  helper.display({
    id: "action",
    header: "Action",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span>,
  }),
  helper.display({
    id: "target",
    header: "Target",
    cell: ({ row }) =>
      row.original.target ? (
        <span className="font-mono text-xs">{row.original.target}</span>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  }),
  helper.display({
    id: "outcome",
    header: "Outcome",
    cell: ({ row }) => <Badge variant={OUTCOME_VARIANT[row.original.outcome]}>{row.original.outcome}</Badge>,
  }),
  helper.display({
    id: "sourceIp",
    header: "Source IP",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.sourceIp ?? "—"}</span>,
  }),
  helper.display({
    id: "detail",
    header: "Detail",
    cell: ({ row }) => {
      const text = describeDetail(row.original.detail);
      return text ? (
        <span className="line-clamp-2 text-muted-foreground text-xs" title={text}>
          {text}
        </span>
      ) : (
        <span className="text-muted-foreground">—</span>
      );
    },
  }),
];
