import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { cancellationLines, cancellations } from "@/db/schema";
import { resolveWarehouseGate } from "@/lib/connectors/registry";
import { enqueueChannelNotifications } from "@/lib/outbox/enqueue";
import { type ErrorCode, fail, ok, type Result } from "../errors";
import { type CancelRequest, type RecordedCancellation, recordCancellations } from "./record-cancellations";
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
  const [recorded] = await db.transaction((tx) =>
    recordCancellations(tx, [request], { forceGate: options.gate !== undefined }),
  );
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
  return db.transaction(async (tx) => {
    const wanted: Resolution = {
      status: failure ? "REJECTED" : "CONFIRMED",
      errorCode: failure?.code ?? null,
      errorMessage: failure?.message ?? null,
    };
    const moved = await tx
      .update(cancellations)
      .set({ ...wanted, resolvedAt: new Date() })
      .where(and(eq(cancellations.id, cancellationId), eq(cancellations.status, "PENDING")))
      .returning({ id: cancellations.id });
    if (moved.length === 0) {
      const [earlier] = await tx
        .select({
          status: cancellations.status,
          errorCode: cancellations.errorCode,
          errorMessage: cancellations.errorMessage,
        })
        .from(cancellations)
        .where(eq(cancellations.id, cancellationId));
      if (!earlier || earlier.status === "PENDING")
        throw new Error(`cancellation ${cancellationId} could not be resolved`);
      const resolution = { ...earlier, errorCode: earlier.errorCode as ErrorCode | null } as Resolution;
      await alongside?.(tx, resolution);
      return resolution;
    }
    const taken = await tx
      .select({ lineItemId: cancellationLines.lineItemId, quantity: cancellationLines.quantity })
      .from(cancellationLines)
      .where(eq(cancellationLines.cancellationId, cancellationId));
    await tx.execute(sql`
      UPDATE line_items AS li
         SET pending_cancel = li.pending_cancel - v.quantity,
             cancelled = li.cancelled + CASE WHEN ${failure === null} THEN v.quantity ELSE 0 END,
             updated_at = now()
        FROM unnest(${sql.param(taken.map((t) => t.lineItemId))}::int[],
                    ${sql.param(taken.map((t) => t.quantity))}::int[]) AS v(id, quantity)
       WHERE li.id = v.id`);
    if (wanted.status === "CONFIRMED") await enqueueChannelNotifications(tx, [cancellationId]);
    await alongside?.(tx, wanted);
    return wanted;
  });
}
