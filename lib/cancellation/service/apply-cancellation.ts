import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import {
  type CANCELLATION_MODES,
  cancellationLines,
  cancellationReasons,
  cancellations,
  lineItems,
  subOrders,
  warehouses,
} from "@/db/schema";
import { type ErrorCode, fail, ok, type Result } from "../errors";
import type { CancelPlan, PlannedLine } from "../rules";
import type { CancelContext, CancelOutcome } from "./types";
import { type WarehouseGate, warehouseGateFor } from "./warehouse-gate";

type Mode = (typeof CANCELLATION_MODES)[number];

export type ApplyOptions = {
  /** Overrides the warehouse's configured gate (tests, the batch runner). */
  gate?: WarehouseGate;
};

type Reserved = {
  plan: CancelPlan;
  cancellationId: string;
  needsGate: boolean;
  warehouseConnector: string;
  warehouseExternalId: string | null;
};

/**
 * The one path every cancellation takes (DESIGN.md "the flow that keeps this safe"):
 * lock the lines, check them with the pure rules, then either confirm at once (manual
 * warehouse) or reserve pending_cancel, ask the warehouse, and confirm or release.
 */
export async function applyCancellation(
  db: Db,
  subOrderId: string,
  mode: Mode,
  plan: (lines: PlannedLine[]) => Result<CancelPlan>,
  context: CancelContext,
  options: ApplyOptions = {},
): Promise<Result<CancelOutcome>> {
  const reserved = await db.transaction(async (tx): Promise<Result<Reserved>> => {
    const target = await tx
      .select({ warehouseConnector: warehouses.connector, warehouseExternalId: warehouses.externalId })
      .from(subOrders)
      .innerJoin(warehouses, eq(warehouses.id, subOrders.warehouseId))
      .where(eq(subOrders.id, subOrderId));
    const [found] = target;
    if (!found) return fail("SUB_ORDER_NOT_FOUND", `Sub-order ${subOrderId} does not exist`);

    const reason = await tx
      .select({ code: cancellationReasons.code })
      .from(cancellationReasons)
      .where(and(eq(cancellationReasons.code, context.reasonCode), eq(cancellationReasons.active, true)));
    if (reason.length === 0)
      return fail("REASON_NOT_FOUND", `Reason code ${context.reasonCode} is unknown or inactive`);

    // Locked in id order, so two cancellations of the same sub-order queue instead of deadlocking.
    const lines = await tx
      .select()
      .from(lineItems)
      .where(eq(lineItems.subOrderId, subOrderId))
      .orderBy(asc(lineItems.id))
      .for("update");
    const checked = plan(lines);
    if (!checked.ok) return checked;

    const needsGate = found.warehouseConnector !== "manual" || options.gate !== undefined;
    const [entry] = await tx
      .insert(cancellations)
      .values({
        subOrderId,
        mode,
        status: needsGate ? "PENDING" : "CONFIRMED",
        reasonCode: context.reasonCode,
        source: context.source,
        actorType: context.actor.type,
        actorId: context.actor.id,
        batchId: context.batchId,
        resolvedAt: needsGate ? null : new Date(),
      })
      .returning({ id: cancellations.id });
    if (!entry) throw new Error("ledger insert returned no row");
    await tx
      .insert(cancellationLines)
      .values(
        checked.value.lines.map((l) => ({
          cancellationId: entry.id,
          lineItemId: l.lineItemId,
          quantity: l.quantity,
        })),
      );
    await addToLines(tx, checked.value, needsGate ? "pending_cancel" : "cancelled");
    return ok({ plan: checked.value, cancellationId: entry.id, needsGate, ...found });
  });
  if (!reserved.ok) return reserved;

  const { plan: done, cancellationId } = reserved.value;
  if (reserved.value.needsGate) {
    const gate = options.gate ?? warehouseGateFor(reserved.value.warehouseConnector);
    const answer = await gate({
      idempotencyKey: cancellationId,
      subOrderId,
      warehouseExternalId: reserved.value.warehouseExternalId,
      reasonCode: context.reasonCode,
      lines: done.lines,
    });
    if (answer.kind !== "accepted") {
      const code: ErrorCode = answer.kind === "rejected" ? "DOWNSTREAM_REJECTED" : "DOWNSTREAM_UNAVAILABLE";
      await resolveReservation(db, cancellationId, done, { code, message: answer.message });
      return fail(code, answer.message);
    }
    await resolveReservation(db, cancellationId, done, null);
  }
  return ok({
    cancellationId,
    subOrderId,
    units: done.units,
    lines: done.lines.map(({ sku, quantity }) => ({ sku, quantity })),
  });
}

/** Adds each planned quantity to one counter of its line, in one statement. */
async function addToLines(tx: Tx, plan: CancelPlan, column: "cancelled" | "pending_cancel"): Promise<void> {
  const ids = plan.lines.map((l) => l.lineItemId);
  const quantities = plan.lines.map((l) => l.quantity);
  await tx.execute(sql`
    UPDATE line_items AS li
       SET ${sql.raw(column)} = li.${sql.raw(column)} + v.quantity, updated_at = now()
      FROM unnest(${sql.param(ids)}::int[], ${sql.param(quantities)}::int[]) AS v(id, quantity)
     WHERE li.id = v.id`);
}

/**
 * Second step of a gated cancellation: move the reservation to cancelled (accepted) or give
 * it back (refused). The PENDING guard makes it safe to run twice, e.g. by crash recovery.
 */
export async function resolveReservation(
  db: Db,
  cancellationId: string,
  plan: CancelPlan,
  failure: { code: ErrorCode; message: string } | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(cancellations)
      .set({
        status: failure ? "REJECTED" : "CONFIRMED",
        errorCode: failure?.code ?? null,
        errorMessage: failure?.message ?? null,
        resolvedAt: new Date(),
      })
      .where(and(eq(cancellations.id, cancellationId), eq(cancellations.status, "PENDING")))
      .returning({ id: cancellations.id });
    if (moved.length === 0) return;
    const ids = plan.lines.map((l) => l.lineItemId);
    const quantities = plan.lines.map((l) => l.quantity);
    await tx.execute(sql`
      UPDATE line_items AS li
         SET pending_cancel = li.pending_cancel - v.quantity,
             cancelled = li.cancelled + CASE WHEN ${failure === null} THEN v.quantity ELSE 0 END,
             updated_at = now()
        FROM unnest(${sql.param(ids)}::int[], ${sql.param(quantities)}::int[]) AS v(id, quantity)
       WHERE li.id = v.id`);
  });
}
