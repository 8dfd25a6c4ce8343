import "server-only";
import { type Db, needsRowLocks } from "@/db/client";
import { errorMessage, failed, ok, type Result } from "../errors";
import { type AskSettings, askWarehouseNow, INTERACTIVE_CLAIM_MS, reservationOf } from "./ask-warehouse";
import { type CancelRequest, type RecordedCancellation, recordCancellations } from "./record-cancellations";
import { replayRequest } from "./replay-request";
import { waitingMessage } from "./resolve-reservations";
import type { CancelOutcome } from "./types";

export type ApplyOptions = Partial<Pick<AskSettings, "gate" | "retryBaseMs" | "retryMaxMs">>;

/**
 * One cancellation, the whole way (DESIGN.md "the flow that keeps this safe"): check, reserve,
 * record and audit it in one transaction; when the warehouse has an API, ask it (the ledger id is
 * the idempotency key) and record its answer: accepted, the units are cancelled; refused, they are
 * released; no answer, they stay reserved, the result says so, and the background asker keeps
 * asking with the same key. A retried request (same actor, same Idempotency-Key) gets the first
 * one's result and never cancels again.
 */
export async function applyCancellation(
  db: Db,
  request: CancelRequest,
  options: ApplyOptions = {},
): Promise<Result<CancelOutcome>> {
  const { requestKey, actor } = request.context;
  const replay = requestKey ? () => replayRequest(db, actor.id, requestKey, request.subOrderId) : null;
  const earlier = await replay?.();
  if (earlier) return earlier;
  let recorded: Result<RecordedCancellation> | undefined;
  try {
    [recorded] = await db.transaction((tx) =>
      recordCancellations(tx, [request], {
        forceGate: options.gate !== undefined,
        lockRows: needsRowLocks(db),
        claimMs: INTERACTIVE_CLAIM_MS,
      }),
    );
  } catch (error) {
    // Two calls with one Idempotency-Key at the same moment: the unique index let one through.
    const winner = await replay?.();
    if (winner) return winner;
    throw error;
  }
  if (!recorded) throw new Error("recordCancellations returned no result");
  if (!recorded.ok) return recorded;
  const outcome = outcomeOf(recorded.value);
  if (recorded.value.status === "CONFIRMED") return ok(outcome);

  const state = await askWarehouseNow(db, reservationOf(recorded.value), options);
  if (state.status === "REJECTED") {
    return failed({
      code: state.errorCode ?? "DOWNSTREAM_REJECTED",
      message:
        state.errorMessage ?? errorMessage("DOWNSTREAM_REJECTED", { said: "Refused by the warehouse" }),
    });
  }
  if (state.status === "PENDING") {
    return ok({
      ...outcome,
      status: "PENDING",
      message: waitingMessage(state.lastAskError ?? "no answer yet"),
    });
  }
  return ok(outcome);
}

function outcomeOf(recorded: RecordedCancellation): CancelOutcome {
  return {
    cancellationId: recorded.cancellationId,
    subOrderId: recorded.subOrderId,
    units: recorded.plan.units,
    lines: recorded.plan.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    status: "CONFIRMED",
  };
}
