import "server-only";
import type { Db } from "@/db/client";
import type { Result } from "../errors";
import { type LineRequest, planLineItemCancel } from "../rules";
import { type ApplyOptions, applyCancellation } from "./apply-cancellation";
import type { CancelRequest } from "./record-cancellations";
import type { CancelContext, CancelOutcome } from "./types";

export type CancelLineItemsInput = CancelContext & { subOrderId: string; lines: LineRequest[] };

export function lineItemsCancelRequest(input: CancelLineItemsInput): CancelRequest {
  const { subOrderId, lines, ...context } = input;
  return {
    subOrderId,
    mode: "line_items",
    context,
    plan: (current, policy) => planLineItemCancel(subOrderId, current, lines, policy),
  };
}

/** Cancels quantities of several lines of one sub-order as one unit of work. */
export function cancelLineItems(
  db: Db,
  input: CancelLineItemsInput,
  options?: ApplyOptions,
): Promise<Result<CancelOutcome>> {
  return applyCancellation(db, lineItemsCancelRequest(input), options);
}
