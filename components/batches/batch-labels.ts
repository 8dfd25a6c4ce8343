/** Words for a batch's kind, mode and status, shared by the batch list and the batch page. */
export const BATCH_KIND_LABELS: Record<string, string> = {
  sub_orders: "Sub-orders",
  line_items: "Line items",
};

export const BATCH_MODE_LABELS: Record<string, string> = {
  strict: "Whole sub-orders",
  unfulfilled_only: "Unfulfilled units only",
  line_items: "Line-item quantities",
};

export const BATCH_STATUS_LABELS: Record<string, string> = {
  draft: "Not started",
  queued: "Queued",
  running: "Running",
  completed: "Completed",
};

export const BATCH_STATUS_VARIANT: Record<string, "outline" | "secondary" | "warning" | "success"> = {
  draft: "outline",
  queued: "secondary",
  running: "warning",
  completed: "success",
};

/** The cancellation screen's address that shows a batch in its tab. */
export function batchScreenHref(batch: { id: string; kind: string }): string {
  return batch.kind === "line_items"
    ? `/cancellations?tab=line-items&batch=${batch.id}`
    : `/cancellations?tab=sub-orders&type=multiple&batch=${batch.id}`;
}
