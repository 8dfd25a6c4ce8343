"use client";

import { useFormatter } from "@/components/format/locale-provider";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { SubOrderView } from "./types";

const STATUS_VARIANT: Record<string, "secondary" | "success" | "warning" | "destructive" | "outline"> = {
  open: "secondary",
  partially_cancelled: "warning",
  cancelled: "destructive",
  in_processing: "warning",
  partially_shipped: "warning",
  shipped: "outline",
};

const QUANTITY_COLUMNS = [
  { key: "ordered", label: "Ordered" },
  { key: "fulfilled", label: "Fulfilled" },
  { key: "processing", label: "Processing" },
  { key: "cancelled", label: "Cancelled" },
  { key: "cancellable", label: "Cancellable" },
] as const;

/** A sub-order with where it is sold and stocked, and every line's quantities. */
export function SubOrderCard({ subOrder, caption }: { subOrder: SubOrderView; caption?: string }) {
  const f = useFormatter();
  const hasPending = subOrder.lines.some((l) => l.pendingCancel > 0);
  const facts = [
    { label: "Order", value: subOrder.orderId },
    { label: "Channel", value: `${subOrder.channel.name} (${subOrder.channelOrderNo})` },
    { label: "Warehouse", value: `${subOrder.warehouse.name} · ${subOrder.warehouse.id}` },
    { label: "Customer", value: subOrder.customerName },
  ];
  return (
    <section
      aria-labelledby={`sub-order-${subOrder.id}`}
      data-testid="sub-order-card"
      className="flex flex-col gap-4 rounded-xl border bg-card p-5 shadow-xs"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 id={`sub-order-${subOrder.id}`} className="font-mono font-semibold text-lg">
          {subOrder.id}
        </h3>
        <Badge variant={STATUS_VARIANT[subOrder.status] ?? "outline"} data-testid="sub-order-status">
          {subOrder.statusLabel}
        </Badge>
        {caption ? <span className="text-muted-foreground text-xs">{caption}</span> : null}
      </div>
      <dl className="grid grid-cols-1 gap-x-8 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        {facts.map((f) => (
          <div key={f.label} className="flex flex-col gap-0.5">
            <dt className="text-muted-foreground text-xs">{f.label}</dt>
            <dd className="font-medium">{f.value}</dd>
          </div>
        ))}
      </dl>
      <div className="overflow-x-auto rounded-lg border">
        <Table aria-label={`Lines of ${subOrder.id}`}>
          <TableHeader className="bg-muted/60">
            <TableRow className="hover:bg-transparent">
              <TableHead scope="col" className="px-3">
                SKU
              </TableHead>
              <TableHead scope="col" className="px-3 text-right">
                Unit price
              </TableHead>
              {QUANTITY_COLUMNS.map((c) => (
                <TableHead key={c.key} scope="col" className="px-3 text-right">
                  {c.label}
                </TableHead>
              ))}
              {hasPending ? (
                <TableHead scope="col" className="px-3 text-right">
                  Cancel in flight
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {subOrder.lines.map((line) => (
              <TableRow key={line.id}>
                <TableCell className="px-3 font-mono">{line.sku}</TableCell>
                <TableCell className="px-3 text-right tabular-nums">
                  {f.money(line.unitPriceMinor, subOrder.currency)}
                </TableCell>
                {QUANTITY_COLUMNS.map((c) => (
                  <TableCell
                    key={c.key}
                    className={cn(
                      "px-3 text-right tabular-nums",
                      line[c.key] === 0 && "text-muted-foreground",
                      c.key === "cancellable" && line.cancellable > 0 && "font-semibold",
                    )}
                  >
                    {line[c.key]}
                  </TableCell>
                ))}
                {hasPending ? (
                  <TableCell className="px-3 text-right tabular-nums">{line.pendingCancel}</TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
