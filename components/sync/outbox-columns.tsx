"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { Loader2, RotateCw } from "lucide-react";
import type { DataTableFeatures } from "@/components/data-table/features";
import { useFormatter } from "@/components/format/locale-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

import { formatRelative, SYNC_STATE_HINTS, SYNC_STATE_LABELS, SYNC_STATE_VARIANT } from "./sync-format";

/** One channel notification as the Sync screen shows it (dates as ISO strings: they cross from the server). */
export type OutboxEntryView = {
  cancellationId: string;
  subOrderId: string;
  channelId: string;
  channelName: string;
  channelOrderNo: string | null;
  state: "pending" | "retrying" | "delivered" | "dead";
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
};

export type OutboxColumnOptions = {
  /** The server's clock when the page was read: relative times are computed from it. */
  now: string;
  canRetry: boolean;
  /** The entry whose retry is on its way, if any. */
  retryingId: string | null;
  onRetry: (entry: OutboxEntryView) => void;
};

const helper = createColumnHelper<DataTableFeatures, OutboxEntryView>();
const none = <span className="text-muted-foreground">—</span>;

/** Day over time, so the date columns stay narrow. */
function Timestamp({ value, title }: { value: string; title: string }) {
  const { day, time } = useFormatter().dayAndTime(value);
  return (
    <time dateTime={value} title={title} className="flex flex-col whitespace-nowrap text-xs">
      <span>{day}</span>
      <span className="text-muted-foreground">{time}</span>
    </time>
  );
}

function NextTry({ at, text }: { at: string; text: string }) {
  return (
    <time dateTime={at} title={useFormatter().dateTimeSeconds(at)} className="whitespace-nowrap">
      {text}
    </time>
  );
}

/** A row may be retried while it is not delivered and not already waiting for its first try. */
export function isRetryable(entry: OutboxEntryView): boolean {
  return entry.state === "dead" || entry.state === "retrying";
}

export function outboxColumns({ now, canRetry, retryingId, onRetry }: OutboxColumnOptions) {
  const columns = [
    helper.display({
      id: "subOrder",
      header: "Sub-order",
      cell: ({ row }) => (
        <div className="flex min-w-0 flex-col">
          <span
            className="font-medium font-mono text-xs"
            title={`Ledger entry ${row.original.cancellationId}`}
          >
            {row.original.subOrderId}
          </span>
          {row.original.channelOrderNo ? (
            <span className="text-muted-foreground text-xs">{row.original.channelOrderNo}</span>
          ) : null}
        </div>
      ),
    }),
    helper.display({
      id: "channel",
      header: "Channel",
      cell: ({ row }) => row.original.channelName,
    }),
    helper.display({
      id: "state",
      header: "State",
      cell: ({ row }) => (
        <Badge
          variant={SYNC_STATE_VARIANT[row.original.state] ?? "outline"}
          title={SYNC_STATE_HINTS[row.original.state]}
        >
          {SYNC_STATE_LABELS[row.original.state] ?? row.original.state}
        </Badge>
      ),
    }),
    helper.display({
      id: "attempts",
      header: "Attempts",
      meta: { align: "end" },
      cell: ({ row }) =>
        row.original.state === "delivered" ? (
          row.original.attempts
        ) : (
          <span title={`The channel allows ${row.original.maxAttempts} before giving up`}>
            {row.original.attempts} of {row.original.maxAttempts}
          </span>
        ),
    }),
    helper.display({
      id: "lastError",
      header: "Last error",
      // Errors wrap (two lines at most, the whole text on hover) instead of widening the table.
      meta: { className: "min-w-[14rem] whitespace-normal" },
      cell: ({ row }) =>
        row.original.lastError ? (
          <span className="line-clamp-2 break-words text-destructive text-xs" title={row.original.lastError}>
            {row.original.lastError}
          </span>
        ) : (
          none
        ),
    }),
    helper.display({
      id: "nextTry",
      header: "Next try",
      cell: ({ row }) => {
        const { state, nextAttemptAt } = row.original;
        if (state !== "pending" && state !== "retrying") return none;
        const due = new Date(nextAttemptAt).getTime() <= new Date(now).getTime();
        return <NextTry at={nextAttemptAt} text={due ? "due now" : formatRelative(nextAttemptAt, now)} />;
      },
    }),
    helper.display({
      id: "created",
      header: "Created",
      cell: ({ row }) => (
        <Timestamp value={row.original.createdAt} title={formatRelative(row.original.createdAt, now)} />
      ),
    }),
    helper.display({
      id: "deliveredAt",
      header: "Delivered at",
      cell: ({ row }) =>
        row.original.deliveredAt ? (
          <Timestamp value={row.original.deliveredAt} title={formatRelative(row.original.deliveredAt, now)} />
        ) : (
          none
        ),
    }),
  ];
  if (!canRetry) return columns;
  return [
    ...columns,
    helper.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) => {
        if (!isRetryable(row.original)) return null;
        const busy = retryingId === row.original.cancellationId;
        return (
          <Button
            variant="outline"
            size="sm"
            disabled={retryingId !== null}
            onClick={() => onRetry(row.original)}
          >
            {busy ? (
              <Loader2 aria-hidden="true" className="motion-safe:animate-spin" />
            ) : (
              <RotateCw aria-hidden="true" />
            )}
            Retry now<span className="sr-only"> for {row.original.subOrderId}</span>
          </Button>
        );
      },
    }),
  ];
}
