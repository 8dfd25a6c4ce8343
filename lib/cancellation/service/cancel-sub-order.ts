import "server-only";
import type { Db } from "@/db/client";
import type { Result } from "../errors";
import { planSubOrderCancel, type SubOrderMode } from "../rules";
import { type ApplyOptions, applyCancellation } from "./apply-cancellation";
import type { CancelRequest } from "./record-cancellations";
import type { CancelContext, CancelOutcome } from "./types";

export type CancelSubOrderInput = CancelContext & { subOrderId: string; mode: SubOrderMode };

export function subOrderCancelRequest(input: CancelSubOrderInput): CancelRequest {
  const { subOrderId, mode, ...context } = input;
  return {
    subOrderId,
    mode,
    context,
    plan: (lines, policy) => planSubOrderCancel(subOrderId, lines, mode, policy),
  };
}

export function cancelSubOrder(
  db: Db,
  input: CancelSubOrderInput,
  options?: ApplyOptions,
): Promise<Result<CancelOutcome>> {
  return applyCancellation(db, subOrderCancelRequest(input), options);
}
