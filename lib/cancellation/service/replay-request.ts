import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type ErrorCode, errorMessage, fail, failed, ok, type Result } from "../errors";
import { waitingMessage } from "./resolve-reservations";
import type { CancelOutcome } from "./types";

/**
 * The result of an earlier request with the same Idempotency-Key from the same actor, or null
 * when there was none. A retried API call (a timeout, a lost answer) gets the first call's
 * result instead of cancelling again; one still waiting for its warehouse says so.
 */
export async function replayRequest(
  db: Db,
  actorId: string,
  requestKey: string,
  subOrderId: string,
): Promise<Result<CancelOutcome> | null> {
  const rows = await db.execute<{
    id: string;
    sub_order_id: string;
    status: string;
    error_code: ErrorCode | null;
    error_message: string | null;
    last_ask_error: string | null;
    sku: string;
    quantity: number;
  }>(sql`
    SELECT c.id, c.sub_order_id, c.status, c.error_code, c.error_message, c.last_ask_error, li.sku, cl.quantity
      FROM cancellations c
      JOIN cancellation_lines cl ON cl.cancellation_id = c.id
      JOIN line_items li ON li.id = cl.line_item_id
     WHERE c.actor_id = ${actorId} AND c.request_key = ${requestKey}
     ORDER BY cl.line_item_id`);
  const [first] = rows.rows;
  if (!first) return null;
  if (first.sub_order_id !== subOrderId) {
    return fail("INVALID_INPUT", {
      problem: `Idempotency-Key ${requestKey} was already used for sub-order ${first.sub_order_id}`,
    });
  }
  if (first.status === "REJECTED") {
    return failed({
      code: first.error_code ?? "DOWNSTREAM_REJECTED",
      message: first.error_message ?? errorMessage("DOWNSTREAM_REJECTED", { said: "Refused downstream" }),
    });
  }
  const lines = rows.rows.map((r) => ({ sku: r.sku, quantity: r.quantity }));
  const outcome: CancelOutcome = {
    cancellationId: first.id,
    subOrderId,
    units: lines.reduce((n, l) => n + l.quantity, 0),
    lines,
    status: first.status === "PENDING" ? "PENDING" : "CONFIRMED",
  };
  if (first.status === "PENDING") outcome.message = waitingMessage(first.last_ask_error ?? "asking now");
  return ok(outcome);
}
