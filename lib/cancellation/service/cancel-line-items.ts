import "server-only";
import type { Db } from "@/db/client";
import type { Result } from "../errors";
import { type LineRequest, planLineItemCancel } from "../rules";
import { type ApplyOptions, applyCancellation } from "./apply-cancellation";
import type { CancelContext, CancelOutcome } from "./types";

export type CancelLineItemsInput = CancelContext & { subOrderId: string; lines: LineRequest[] };

/** Cancels quantities of several lines of one sub-order as one unit of work. */
export function cancelLineItems(
  db: Db,
  input: CancelLineItemsInput,
  options?: ApplyOptions,
): Promise<Result<CancelOutcome>> {
  const { subOrderId, lines, ...context } = input;
  return applyCancellation(
    db,
    subOrderId,
    "line_items",
    (current) => planLineItemCancel(subOrderId, current, lines),
    context,
    options,
  );
}
