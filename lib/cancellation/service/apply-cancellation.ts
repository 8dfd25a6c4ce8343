import "server-only";
import { sql } from "drizzle-orm";
import { type Db, needsRowLocks, type Tx } from "@/db/client";
import { resolveWarehouseGate } from "@/lib/connectors/registry";
import { enqueueChannelNotifications } from "@/lib/outbox/enqueue";
import { type ErrorCode, fail, ok, type Result } from "../errors";
import { type CancelRequest, type RecordedCancellation, recordCancellations } from "./record-cancellations";
import { replayRequest } from "./replay-request";
import type { CancelOutcome } from "./types";
import type { GateAnswer, WarehouseGate } from "./warehouse-gate";

export type ApplyOptions = {
  /** Overrides the warehouse's configured gate (tests, the batch runner). */
  gate?: WarehouseGate;
};

/**
 * One cancellation, the whole way (DESIGN.md "the flow that keeps this safe"): check and
 * record it; when the warehouse has an API, ask it with the ledger id as idempotency key,
 * then confirm or release the reserved units.
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
  if (recorded.value.status === "PENDING") {
    const gate = options.gate ?? (await resolveWarehouseGate(db, recorded.value.warehouse.id));
    const answer = await askWarehouse(gate, recorded.value, request.context.reasonCode);
    const resolution = await resolveReservation(db, recorded.value.cancellationId, failureOf(answer));
    if (resolution.status === "REJECTED") {
      return fail(
        resolution.errorCode ?? "DOWNSTREAM_REJECTED",
        resolution.errorMessage ?? "Refused by the warehouse",
      );
    }
  }
  return ok(outcomeOf(recorded.value));
}

export function outcomeOf(recorded: RecordedCancellation): CancelOutcome {
  return {
    cancellationId: recorded.cancellationId,
    subOrderId: recorded.subOrderId,
    units: recorded.plan.units,
    lines: recorded.plan.lines.map(({ sku, quantity }) => ({ sku, quantity })),
  };
}

export function askWarehouse(gate: WarehouseGate, recorded: RecordedCancellation, reasonCode: string) {
  return gate({
    idempotencyKey: recorded.cancellationId,
    subOrderId: recorded.subOrderId,
    warehouseExternalId: recorded.warehouse.externalId,
    reasonCode,
    partial: recorded.partial,
    lines: recorded.plan.lines.map(({ sku, quantity }) => ({ sku, quantity })),
  });
}

export function failureOf(answer: GateAnswer): { code: ErrorCode; message: string } | null {
  if (answer.kind === "accepted") return null;
  return {
    code: answer.kind === "rejected" ? "DOWNSTREAM_REJECTED" : "DOWNSTREAM_UNAVAILABLE",
    message: answer.message,
  };
}

export type Resolution = {
  status: "CONFIRMED" | "REJECTED";
  errorCode: ErrorCode | null;
  errorMessage: string | null;
};

/**
 * Second step of a gated cancellation: move the reservation to cancelled (accepted) or give
 * it back (refused). It reads the quantities from the ledger and acts only on a PENDING
 * entry, so running it twice (crash recovery, a retried request) changes nothing; either
 * way `alongside` runs in the same transaction with the entry's final resolution.
 */
export async function resolveReservation(
  db: Db,
  cancellationId: string,
  failure: { code: ErrorCode; message: string } | null,
  alongside?: (tx: Tx, resolution: Resolution) => Promise<void>,
): Promise<Resolution> {
  const resolutions = await resolveReservations(db, [{ cancellationId, failure }], async (tx, resolved) => {
    const resolution = resolved.get(cancellationId);
    if (resolution) await alongside?.(tx, resolution);
  });
  const resolution = resolutions.get(cancellationId);
  if (!resolution) throw new Error(`cancellation ${cancellationId} could not be resolved`);
  return resolution;
}

/** Many resolutions in one transaction and a fixed number of statements (a batch's answers). */
export async function resolveReservations(
  db: Db,
  answers: { cancellationId: string; failure: { code: ErrorCode; message: string } | null }[],
  alongside?: (tx: Tx, resolutions: Map<string, Resolution>) => Promise<void>,
): Promise<Map<string, Resolution>> {
  return db.transaction(async (tx) => {
    const moved = await tx.execute<{ id: string }>(sql`
      UPDATE cancellations AS c
         SET status = v.status, error_code = v.error_code, error_message = v.error_message,
             resolved_at = now(), updated_at = now()
        FROM unnest(${sql.param(answers.map((a) => a.cancellationId))}::uuid[],
                    ${sql.param(answers.map((a) => (a.failure ? "REJECTED" : "CONFIRMED")))}::text[],
                    ${sql.param(answers.map((a) => a.failure?.code ?? null))}::text[],
                    ${sql.param(answers.map((a) => a.failure?.message ?? null))}::text[])
             AS v(id, status, error_code, error_message)
       WHERE c.id = v.id AND c.status = 'PENDING'
      RETURNING c.id`);
    const movedIds = moved.rows.map((r) => r.id);
    if (movedIds.length > 0) {
      // Reserved units leave pending_cancel; confirmed ones become cancelled.
      await tx.execute(sql`
        UPDATE line_items AS li
           SET pending_cancel = li.pending_cancel - d.reserved, cancelled = li.cancelled + d.confirmed, updated_at = now()
          FROM (SELECT cl.line_item_id, sum(cl.quantity)::int AS reserved,
                       sum(CASE WHEN c.status = 'CONFIRMED' THEN cl.quantity ELSE 0 END)::int AS confirmed
                  FROM cancellation_lines cl JOIN cancellations c ON c.id = cl.cancellation_id
                 WHERE cl.cancellation_id = ANY(${sql.param(movedIds)}::uuid[])
                 GROUP BY cl.line_item_id) AS d
         WHERE li.id = d.line_item_id`);
      await enqueueChannelNotifications(tx, movedIds);
    }
    // Every entry's final word, including those an earlier attempt had already resolved.
    const final = await tx.execute<{
      id: string;
      status: string;
      error_code: ErrorCode | null;
      error_message: string | null;
    }>(sql`
      SELECT id, status, error_code, error_message FROM cancellations
       WHERE id = ANY(${sql.param(answers.map((a) => a.cancellationId))}::uuid[])`);
    const resolutions = new Map<string, Resolution>();
    for (const row of final.rows) {
      if (row.status === "PENDING") throw new Error(`cancellation ${row.id} could not be resolved`);
      resolutions.set(row.id, {
        status: row.status as Resolution["status"],
        errorCode: row.error_code,
        errorMessage: row.error_message,
      });
    }
    await alongside?.(tx, resolutions);
    return resolutions;
  });
}
