import "server-only";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { resolveWarehouseGate } from "@/lib/connectors/registry";
import { askWarehouse, failureOf, resolveReservation } from "./apply-cancellation";
import type { RecordedCancellation } from "./record-cancellations";
import type { WarehouseGate } from "./warehouse-gate";

/** Rebuilds a reservation from the ledger, to ask the warehouse again with the same key. */
export async function loadReservation(db: DbOrTx, cancellationId: string): Promise<RecordedCancellation> {
  const rows = await db.execute<{
    sub_order_id: string;
    reason_code: string;
    line_item_id: number;
    sku: string;
    quantity: number;
    warehouse_id: string;
    connector: string;
    external_id: string | null;
    still_open: boolean;
  }>(sql`
    SELECT c.sub_order_id, c.reason_code, cl.line_item_id, li.sku, cl.quantity,
           w.id AS warehouse_id, w.connector, w.external_id,
           (SELECT bool_or(ordered - fulfilled - cancelled - pending_cancel > 0 OR processing > 0)
              FROM line_items WHERE sub_order_id = c.sub_order_id) AS still_open
      FROM cancellations c
      JOIN cancellation_lines cl ON cl.cancellation_id = c.id
      JOIN line_items li ON li.id = cl.line_item_id
      JOIN sub_orders so ON so.id = c.sub_order_id
      JOIN warehouses w ON w.id = so.warehouse_id
     WHERE c.id = ${cancellationId}
     ORDER BY cl.line_item_id`);
  const [first] = rows.rows;
  if (!first) throw new Error(`cancellation ${cancellationId} has no lines`);
  const lines = rows.rows.map((r) => ({ lineItemId: r.line_item_id, sku: r.sku, quantity: r.quantity }));
  return {
    cancellationId,
    subOrderId: first.sub_order_id,
    status: "PENDING",
    partial: first.still_open,
    plan: { lines, units: lines.reduce((n, l) => n + l.quantity, 0) },
    warehouse: { id: first.warehouse_id, connector: first.connector, externalId: first.external_id },
  };
}

/**
 * The crash-recovery sweep: a single or API cancellation whose process stopped between the
 * warehouse call and the confirmation stays PENDING with its units reserved. Ask again with
 * the same key (the warehouse deduplicates) and confirm or release. Batch items recover
 * through their own leases and are left to the runner.
 */
export async function recoverStalePendingCancellations(
  db: Db,
  options: { olderThanMs: number; limit?: number; gate?: WarehouseGate },
): Promise<number> {
  const stale = await db.execute<{ id: string; reason_code: string }>(sql`
    SELECT id, reason_code FROM cancellations
     WHERE status = 'PENDING' AND batch_id IS NULL
       AND created_at < now() - make_interval(secs => ${options.olderThanMs / 1000})
     ORDER BY created_at LIMIT ${options.limit ?? 50}`);
  for (const entry of stale.rows) {
    const reservation = await loadReservation(db, entry.id);
    const gate = options.gate ?? (await resolveWarehouseGate(db, reservation.warehouse.id));
    const answer = await askWarehouse(gate, reservation, entry.reason_code);
    await resolveReservation(db, entry.id, failureOf(answer));
  }
  return stale.rows.length;
}
