import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requestFormatter } from "@/app/_lib/request-locale";
import { PageHeader } from "@/components/app-shell/page-header";
import { OrderCancelPanel } from "@/components/orders/order-cancel-panel";
import { OrderExceptions } from "@/components/orders/order-exceptions";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { OrderTimeline } from "@/components/orders/order-timeline";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { getOrderDetail } from "@/db/queries/order-detail";
import { listActiveReasons } from "@/db/queries/sub-orders";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";

import { cancelOrderLinesAction } from "./_actions/cancel-order-lines";
import { updateExceptionAction } from "./_actions/update-exception";

export async function generateMetadata({ params }: PageProps<"/orders/[id]">): Promise<Metadata> {
  const { id } = await params;
  return { title: `Order ${decodeURIComponent(id)}` };
}

export default async function OrderPage({ params }: PageProps<"/orders/[id]">) {
  const { id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  const user = await requirePagePermission("orders:read", `/orders/${rawId}`);
  const db = getDb();
  const [order, reasons, f] = await Promise.all([
    getOrderDetail(db, id),
    listActiveReasons(db),
    requestFormatter(),
  ]);
  if (!order) notFound();
  const { timeline, exceptions, ...rest } = order;
  const facts = [
    { label: "Channel", value: order.channel.name },
    { label: "Channel's order id", value: order.channelOrderId, mono: true },
    { label: "Customer", value: order.customerName },
    { label: "Placed", value: f.dateTime(order.createdAt) },
    { label: "Currency", value: order.currency },
    {
      label: "Channel rules",
      value: [
        order.channel.partialQuantities ? "part of a line may be cancelled" : "whole lines only",
        ...(order.channel.fillOrKill ? ["fill-or-kill"] : []),
      ].join(" · "),
    },
  ];

  return (
    <>
      <PageHeader
        title={`Order ${order.orderNumber}`}
        description={
          <span className="inline-flex items-center gap-2">
            <OrderStatusBadge status={order.status} /> {order.subOrders.length} sub-order
            {order.subOrders.length === 1 ? "" : "s"} · order id <span className="font-mono">{order.id}</span>
          </span>
        }
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href="/orders">
              <ChevronLeft aria-hidden="true" />
              Orders
            </Link>
          </Button>
        }
      />
      <dl className="grid grid-cols-1 gap-x-8 gap-y-3 rounded-xl border bg-card p-5 text-sm shadow-xs sm:grid-cols-2 lg:grid-cols-3">
        {facts.map((fact) => (
          <div key={fact.label} className="flex flex-col gap-0.5">
            <dt className="text-muted-foreground text-xs">{fact.label}</dt>
            <dd className={fact.mono ? "font-medium font-mono" : "font-medium"}>{fact.value}</dd>
          </div>
        ))}
      </dl>
      <OrderExceptions
        orderId={order.id}
        exceptions={exceptions}
        canEdit={can(user.role, "requests:decide")}
        update={updateExceptionAction}
      />
      <OrderCancelPanel
        order={rest}
        reasons={reasons}
        canCancel={can(user.role, "cancel:single")}
        cancelLines={cancelOrderLinesAction}
      />
      <OrderTimeline entries={timeline} currency={order.currency} />
    </>
  );
}
