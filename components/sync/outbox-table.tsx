"use client";

import { useTable } from "@tanstack/react-table";
import { useMemo, useState, useTransition } from "react";
import { toast } from "sonner";

import { DataTable } from "@/components/data-table/data-table";
import { dataTableFeatures } from "@/components/data-table/features";
import type { ActionResult } from "@/lib/action-result";

import { type OutboxEntryView, outboxColumns } from "./outbox-columns";

export type RetryNotification = (input: {
  cancellationId: string;
}) => Promise<ActionResult<{ cancellationId: string; subOrderId: string }>>;

type OutboxTableProps = {
  rows: OutboxEntryView[];
  now: string;
  /** The signed-in user may retry (sync:retry); without it the column is not shown. */
  canRetry: boolean;
  retry: RetryNotification;
  empty?: string;
};

/** One page of channel notifications; filters and paging live in the URL and the query. */
export function OutboxTable({ rows, now, canRetry, retry, empty }: OutboxTableProps) {
  const [retryingId, setRetryingId] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  const columns = useMemo(
    () =>
      outboxColumns({
        now,
        canRetry,
        retryingId,
        onRetry: (entry) => {
          setRetryingId(entry.cancellationId);
          startTransition(async () => {
            try {
              const result = await retry({ cancellationId: entry.cancellationId });
              if (result.ok) {
                toast.success(`Retrying ${result.data.subOrderId} now.`);
              } else {
                toast.error(result.message);
              }
            } catch {
              toast.error("The retry could not be sent. Check your connection and try again.");
            } finally {
              setRetryingId(null);
            }
          });
        },
      }),
    [now, canRetry, retryingId, retry],
  );
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.cancellationId,
  });
  return (
    <DataTable
      table={table}
      label="Channel notifications"
      empty={empty ?? "No channel notifications match these filters."}
      rowAttributes={(row) => ({
        "data-state": row.original.state,
        "data-cancellation-id": row.original.cancellationId,
        "data-sub-order": row.original.subOrderId,
      })}
    />
  );
}
