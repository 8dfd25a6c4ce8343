import "server-only";
import type { Db } from "@/db/client";
import type { Result } from "../errors";
import { planSubOrderCancel, type SubOrderMode } from "../rules";
import { type ApplyOptions, applyCancellation } from "./apply-cancellation";
import type { CancelContext, CancelOutcome } from "./types";

export type CancelSubOrderInput = CancelContext & { subOrderId: string; mode: SubOrderMode };

export function cancelSubOrder(
  db: Db,
  input: CancelSubOrderInput,
  options?: ApplyOptions,
): Promise<Result<CancelOutcome>> {
  const { subOrderId, mode, ...context } = input;
  return applyCancellation(
    db,
    subOrderId,
    mode,
    (lines) => planSubOrderCancel(subOrderId, lines, mode),
    context,
    options,
  );
}
