import "server-only";
import { lineItemsCancelRequest } from "@/lib/cancellation/service/cancel-line-items";
import { subOrderCancelRequest } from "@/lib/cancellation/service/cancel-sub-order";
import type { CancelRequest } from "@/lib/cancellation/service/record-cancellations";
import type { Actor } from "@/lib/cancellation/service/types";
import type { BatchMode } from "./types";

export type ClaimedItem = {
  itemId: number;
  batchId: string;
  subOrderId: string;
  reasonCode: string;
  mode: BatchMode;
  actor: Actor;
  /** The requested lines, for a line-item batch. */
  lines: { sku: string; quantity: number }[];
};

/** The cancellation a batch item asks for: the same request the preview plans and the runner applies. */
export function itemCancelRequest(item: ClaimedItem): CancelRequest {
  const context = {
    actor: item.actor,
    source: "csv_batch" as const,
    reasonCode: item.reasonCode,
    batchId: item.batchId,
  };
  return item.mode === "line_items"
    ? lineItemsCancelRequest({ ...context, subOrderId: item.subOrderId, lines: item.lines })
    : subOrderCancelRequest({ ...context, subOrderId: item.subOrderId, mode: item.mode });
}
