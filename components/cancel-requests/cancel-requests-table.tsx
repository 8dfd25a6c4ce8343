"use client";

import { createColumnHelper, useTable } from "@tanstack/react-table";
import { PackageCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";

import { formatAge } from "@/components/cancellations/format";
import { DataTable } from "@/components/data-table/data-table";
import { type DataTableFeatures, dataTableFeatures } from "@/components/data-table/features";
import { FormattedDate, Plural } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ApprovableLine } from "@/db/queries/cancel-request-lines";
import type { CancelRequestListRow } from "@/lib/orders/cancel-request-decisions";

import { type DecideActions, DecisionDialog } from "./decision-dialog";

const STATE_BADGE = {
  open: { label: "Open", variant: "warning" },
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
  expired: { label: "Expired", variant: "outline" },
} as const;

type Decision = { kind: "approve" | "reject"; request: CancelRequestListRow };

const helper = createColumnHelper<DataTableFeatures, CancelRequestListRow>();

function columns(canDecide: boolean, decide: (d: Decision) => void) {
  return [
    helper.display({
      id: "received",
      header: "Waiting",
      meta: { width: "8rem" },
      cell: ({ row }) => (
        <div className="flex flex-col">
          <span className="font-medium tabular-nums">{formatAge(row.original.ageSeconds)}</span>
          <FormattedDate value={row.original.createdAt} className="text-muted-foreground text-xs" />
        </div>
      ),
    }),
    helper.display({
      id: "order",
      header: "Order",
      cell: ({ row }) => (
        <div className="flex flex-col">
          <Link
            href={`/orders/${encodeURIComponent(row.original.orderId)}`}
            className="font-medium underline-offset-4 hover:underline"
          >
            {row.original.orderNumber}
          </Link>
          <span className="text-muted-foreground text-xs">
            {row.original.channelName} · {row.original.customerName}
          </span>
        </div>
      ),
    }),
    helper.display({
      id: "asked",
      header: "Asked for",
      cell: ({ row }) =>
        row.original.lines === null ? (
          <span>The whole order</span>
        ) : (
          <ul className="flex flex-col text-sm">
            {row.original.lines.map((l) => (
              <li key={l.lineItemId}>
                {l.quantity === null ? "all of" : `${l.quantity} ×`}{" "}
                <span className="font-mono">{l.sku}</span>
              </li>
            ))}
          </ul>
        ),
    }),
    helper.display({
      id: "reason",
      header: "Customer's reason",
      cell: ({ row }) => (
        <div className="flex flex-col">
          <span>“{row.original.customerReason}”</span>
          <span className="text-muted-foreground text-xs">as {row.original.reasonLabel}</span>
        </div>
      ),
    }),
    helper.display({
      id: "shipped",
      header: "Shipped",
      cell: ({ row }) =>
        row.original.shipped > 0 ? (
          <div className="flex flex-col text-sm">
            <span className="inline-flex items-center gap-1 font-medium text-warning">
              <PackageCheck aria-hidden="true" className="size-3.5" />
              <Plural n={row.original.shipped} one="unit" /> shipped
            </span>
            {row.original.shipment ? (
              <span className="text-muted-foreground text-xs">
                {[row.original.shipment.carrier, row.original.shipment.trackingNumber]
                  .filter(Boolean)
                  .join(" · ") || row.original.shipment.reference}
              </span>
            ) : null}
          </div>
        ) : (
          <span className="text-muted-foreground">Nothing</span>
        ),
    }),
    helper.display({
      id: "decision",
      header: "Decision",
      cell: ({ row }) => {
        const r = row.original;
        const badge = STATE_BADGE[r.state as keyof typeof STATE_BADGE] ?? STATE_BADGE.open;
        if (r.state === "open") {
          return canDecide ? (
            <div className="flex flex-wrap gap-2">
              <Button size="sm" onClick={() => decide({ kind: "approve", request: r })}>
                Approve
              </Button>
              <Button size="sm" variant="outline" onClick={() => decide({ kind: "reject", request: r })}>
                Reject
              </Button>
            </div>
          ) : (
            <Badge variant={badge.variant}>{badge.label}</Badge>
          );
        }
        return (
          <div className="flex flex-col gap-1 text-xs">
            <Badge variant={badge.variant}>{badge.label}</Badge>
            {r.decidedBy ? <span className="text-muted-foreground">by {r.decidedBy}</span> : null}
            {r.decidedAt ? <FormattedDate value={r.decidedAt} className="text-muted-foreground" /> : null}
            {r.decisionNote ? <span>Note: {r.decisionNote}</span> : null}
          </div>
        );
      },
    }),
  ];
}

/** Customer cancel requests, open ones first; Approve and Reject open a dialog that decides. */
export function CancelRequestsTable({
  rows,
  linesByOrder,
  canDecide,
  actions,
}: {
  rows: CancelRequestListRow[];
  linesByOrder: Record<string, ApprovableLine[]>;
  canDecide: boolean;
  actions: DecideActions;
}) {
  const [decision, setDecision] = useState<Decision | null>(null);
  const table = useTable({
    features: dataTableFeatures,
    columns: columns(canDecide, setDecision),
    data: rows,
    getRowId: (row) => row.id,
  });
  return (
    <>
      <DataTable
        table={table}
        label="Cancel requests"
        empty="No cancel requests here."
        rowAttributes={(row) => ({
          "data-request": row.original.requestId,
          "data-state": row.original.state,
        })}
      />
      {decision ? (
        <DecisionDialog
          key={`${decision.kind}-${decision.request.id}`}
          decision={decision}
          lines={linesByOrder[decision.request.orderId] ?? []}
          actions={actions}
          onClose={() => setDecision(null)}
        />
      ) : null}
    </>
  );
}
