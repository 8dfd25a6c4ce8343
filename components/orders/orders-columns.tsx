"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import type { DataTableFeatures } from "@/components/data-table/features";
import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import type { OrderListRow } from "@/db/queries/orders";

import { OrderStatusBadge } from "./order-status-badge";

const helper = createColumnHelper<DataTableFeatures, OrderListRow>();

export const ordersColumns = [
  helper.display({
    id: "order",
    header: "Order",
    cell: ({ row }) => (
      <div className="flex min-w-0 flex-col">
        <Link
          href={`/orders/${encodeURIComponent(row.original.id)}`}
          className="font-medium underline-offset-4 hover:underline"
        >
          {row.original.orderNumber}
        </Link>
        <span className="truncate font-mono text-muted-foreground text-xs" title="The channel's own order id">
          {row.original.channelOrderId}
        </span>
      </div>
    ),
  }),
  helper.display({
    id: "channel",
    header: "Channel",
    cell: ({ row }) => row.original.channelName,
  }),
  helper.display({
    id: "customer",
    header: "Customer",
    cell: ({ row }) => row.original.customerName,
  }),
  helper.display({
    id: "created",
    header: "Placed",
    meta: { width: "11rem" },
    cell: ({ row }) => (
      <FormattedDate value={row.original.createdAt} className="whitespace-nowrap text-xs tabular-nums" />
    ),
  }),
  helper.display({
    id: "units",
    header: "Units (shipped / cancelled)",
    meta: { align: "end" },
    cell: ({ row }) => (
      <>
        <FormattedCount value={row.original.ordered} /> (<FormattedCount value={row.original.fulfilled} /> /{" "}
        <FormattedCount value={row.original.cancelled} />)
      </>
    ),
  }),
  helper.display({
    id: "status",
    header: "Status",
    cell: ({ row }) => (
      <div className="flex items-center gap-2">
        <OrderStatusBadge status={row.original.status} />
        {row.original.openExceptions > 0 ? (
          <span className="inline-flex items-center gap-1 text-warning text-xs">
            <TriangleAlert aria-hidden="true" className="size-3.5" />
            {row.original.openExceptions === 1 ? "1 exception" : `${row.original.openExceptions} exceptions`}
          </span>
        ) : null}
      </div>
    ),
  }),
];
