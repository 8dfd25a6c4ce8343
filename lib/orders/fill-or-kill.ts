import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { ok } from "@/lib/cancellation/errors";
import { cancellableOf } from "@/lib/cancellation/quantities";
import { planOf } from "@/lib/cancellation/rules";
import { type CancelRequest, recordCancellations } from "@/lib/cancellation/service/record-cancellations";

export const FILL_OR_KILL_REASON = "FILL_OR_KILL";
const KILLER = { type: "system", id: "fill-or-kill" } as const;

/**
 * Fill-or-kill (seeds/002, DESIGN.md rule 6): on a channel with that policy, a line that shipped in
 * part loses the rest, in the caller's transaction: units in processing are released and, with
 * the open ones, cancelled through the one write path (ledger entry, line totals, channel
 * notification through the outbox, audit), source `automatic`, reason FILL_OR_KILL. The warehouse
 * is not asked: its own shipment closed the line. Units a cancellation in flight holds are left
 * to it; if the warehouse refuses that cancellation, the released units are killed then (the
 * resolution calls this again). Lines that are not partly shipped, or whose channel has no such
 * policy, are left alone. Returns the ledger ids written.
 */
export async function killRemainders(tx: Tx, lineItemIds: readonly number[]): Promise<string[]> {
  if (lineItemIds.length === 0) return [];
  const found = await tx.execute<{ id: number; sub_order_id: string; processing: number }>(sql`
    SELECT li.id, li.sub_order_id, li.processing
      FROM line_items li
      JOIN sub_orders so ON so.id = li.sub_order_id
      JOIN orders o ON o.id = so.order_id
      JOIN channels ch ON ch.id = o.channel_id
     WHERE li.id = ANY(${sql.param([...lineItemIds])}::int[]) AND ch.fill_or_kill
       AND li.fulfilled > 0 AND li.processing + (li.ordered - li.fulfilled - li.processing - li.cancelled - li.pending_cancel) > 0
     ORDER BY li.id
     FOR UPDATE OF li`);
  if (found.rows.length === 0) return [];
  const killed = new Set(found.rows.map((r) => r.id));
  // Released from processing first, so the rules see every unit left as cancellable.
  await tx.execute(sql`
    UPDATE line_items SET processing = 0, updated_at = now()
     WHERE id = ANY(${sql.param([...killed])}::int[]) AND processing > 0`);
  const subOrderIds = [...new Set(found.rows.map((r) => r.sub_order_id))];
  const requests: CancelRequest[] = subOrderIds.map((subOrderId) => ({
    subOrderId,
    mode: "line_items",
    context: {
      actor: KILLER,
      source: "automatic",
      reasonCode: FILL_OR_KILL_REASON,
      audit: { label: "fill-or-kill", sourceIp: null },
    },
    plan: (lines) =>
      ok(
        planOf(
          lines.filter((l) => killed.has(l.id)).map((line) => ({ line, quantity: cancellableOf(line) })),
        ),
      ),
  }));
  const results = await recordCancellations(tx, requests, { warehouseAgreed: true });
  const ids: string[] = [];
  for (const result of results) {
    // The rest of a line it may kill is always cancellable: a refusal here is a broken setup
    // (the FILL_OR_KILL reason deactivated), and the event must not pass without its kill.
    if (!result.ok) throw new Error(`fill-or-kill could not cancel: ${result.error.message}`);
    ids.push(result.value.cancellationId);
  }
  return ids;
}
