import {
  Ban,
  CircleCheck,
  Clock,
  Inbox,
  MessageSquare,
  PackageCheck,
  ShoppingCart,
  TriangleAlert,
  Warehouse,
} from "lucide-react";

import { FormattedDate, FormattedMoney, Plural } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import type { TimelineEntry } from "@/db/queries/order-detail";
import { cn } from "@/lib/utils";

const ICONS = {
  placed: ShoppingCart,
  intake: Inbox,
  warehouse_event: Warehouse,
  cancellation: Ban,
  cancel_request: MessageSquare,
  exception: TriangleAlert,
} as const;

const STATUS_TEXT: Record<
  string,
  { label: string; variant: "success" | "warning" | "destructive" | "outline" }
> = {
  CONFIRMED: { label: "Warehouse accepted", variant: "success" },
  PENDING: { label: "Waiting for the warehouse", variant: "warning" },
  REJECTED: { label: "Warehouse refused", variant: "destructive" },
  open: { label: "Open", variant: "warning" },
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
  expired: { label: "Expired", variant: "outline" },
};

const SYNC_TEXT: Record<string, string> = {
  pending: "Channel: to be told",
  retrying: "Channel: retrying",
  delivered: "Channel: told",
  dead: "Channel: failed, see Sync",
};

/** Everything that happened to an order, oldest first. */
export function OrderTimeline({ entries, currency }: { entries: TimelineEntry[]; currency: string }) {
  return (
    <section
      aria-labelledby="order-timeline"
      className="flex flex-col gap-3 rounded-xl border bg-card p-5 shadow-xs"
    >
      <h2 id="order-timeline" className="font-semibold text-lg">
        Timeline
      </h2>
      <ol className="flex flex-col" data-testid="order-timeline">
        {entries.map((entry, index) => {
          const Icon =
            entry.kind === "warehouse_event" && entry.title.startsWith("Shipped")
              ? PackageCheck
              : ICONS[entry.kind];
          const status = entry.status ? STATUS_TEXT[entry.status] : undefined;
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is rebuilt whole and never reordered
              key={index}
              data-kind={entry.kind}
              className="relative flex gap-3 pb-4 last:pb-0"
            >
              <span
                aria-hidden="true"
                className={cn(
                  "flex size-7 shrink-0 items-center justify-center rounded-full border bg-background",
                  entry.kind === "exception" && "border-warning text-warning",
                  entry.automatic && "border-primary text-primary",
                )}
              >
                <Icon className="size-3.5" />
              </span>
              <div className="flex min-w-0 flex-col gap-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-sm">{entry.title}</span>
                  {status ? <Badge variant={status.variant}>{status.label}</Badge> : null}
                  {entry.sync ? (
                    <span className="inline-flex items-center gap-1 text-muted-foreground text-xs">
                      {entry.sync === "delivered" ? (
                        <CircleCheck aria-hidden="true" className="size-3" />
                      ) : (
                        <Clock aria-hidden="true" className="size-3" />
                      )}
                      {SYNC_TEXT[entry.sync] ?? `Channel: ${entry.sync}`}
                    </span>
                  ) : null}
                </div>
                <FormattedDate value={entry.at} className="text-muted-foreground text-xs tabular-nums" />
                {entry.units !== undefined ? (
                  <p className="text-sm">
                    <Plural n={entry.units} one="unit" />,{" "}
                    <FormattedMoney minor={entry.valueMinor ?? 0} currency={currency} />
                  </p>
                ) : null}
                {entry.detail.map((line) => (
                  <p key={line} className="text-muted-foreground text-sm">
                    {line}
                  </p>
                ))}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
