/**
 * What a warehouse event does to the lines of one sub-order: pure functions, no database, used by
 * lib/orders/warehouse-events.ts inside the transaction that holds the lines' locks, and by the
 * property tests. Nothing here can produce a state that breaks the quantity invariant; the
 * database's CHECK constraint refuses it anyway.
 */
import { fail, ok, type Result, units } from "@/lib/cancellation/errors";
import { cancellableOf, type LineQuantities } from "@/lib/cancellation/quantities";

export const EVENT_TYPES = ["allocated", "released", "shipped"] as const;
export type WarehouseEventType = (typeof EVENT_TYPES)[number];

export type EventLine = LineQuantities & { id: number; sku: string };
export type EventRequestLine = { sku: string; quantity: number };

export type EventPlan = {
  /** Every line the event names, with its quantities after the event. */
  updates: { line: EventLine; after: LineQuantities }[];
  /**
   * Units shipped although we had cancelled them (seeds/002 "cancelled but shipped"): not applied
   * to the quantities, recorded as an exception for support.
   */
  shippedAfterCancellation: { lineItemId: number; sku: string; units: number }[];
  /**
   * Fill-or-kill: lines a shipment filled in part, whose rest (in processing or open) is
   * cancelled in the same transaction.
   */
  kill: number[];
};

const describe = (l: LineQuantities) =>
  `${l.ordered} ordered, ${l.fulfilled} fulfilled, ${l.processing} in processing, ${l.cancelled} cancelled, ${l.pendingCancel} reserved by a cancellation in flight`;

/**
 * The effect of one event on its lines. Refused as a whole (nothing changes) when any line would
 * break the rules, with every such line and its numbers: allocating more than is open, releasing
 * more than is in processing, shipping more than was ordered, or shipping units a cancellation
 * still in flight holds (send it again once that cancellation is answered).
 */
export function planWarehouseEvent(
  type: WarehouseEventType,
  subOrderId: string,
  lines: readonly EventLine[],
  requested: readonly EventRequestLine[],
  options: { fillOrKill: boolean },
): Result<EventPlan> {
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  const seen = new Set<string>();
  const conflicts: string[] = [];
  const plan: EventPlan = { updates: [], shippedAfterCancellation: [], kill: [] };
  for (const { sku, quantity } of requested) {
    const line = bySku.get(sku);
    if (!line) return fail("LINE_ITEM_NOT_FOUND", { sku, subOrderId });
    if (seen.has(sku)) return fail("DUPLICATE_ROW", { sku, subOrderId });
    seen.add(sku);
    const open = cancellableOf(line);
    switch (type) {
      case "allocated":
        if (quantity > open) {
          conflicts.push(`SKU ${sku}: cannot allocate ${units(quantity)}, ${open} open (${describe(line)})`);
        } else plan.updates.push({ line, after: { ...line, processing: line.processing + quantity } });
        break;
      case "released":
        if (quantity > line.processing) {
          conflicts.push(
            `SKU ${sku}: cannot release ${units(quantity)}, ${line.processing} in processing (${describe(line)})`,
          );
        } else plan.updates.push({ line, after: { ...line, processing: line.processing - quantity } });
        break;
      case "shipped": {
        // Units ship out of processing first, then out of what was still open.
        const shippable = line.processing + open;
        const beyond = Math.max(0, quantity - shippable);
        if (beyond > line.cancelled + line.pendingCancel) {
          conflicts.push(
            `SKU ${sku}: cannot ship ${units(quantity)}, at most ${shippable + line.cancelled} (${describe(line)})`,
          );
          break;
        }
        if (beyond > line.cancelled) {
          conflicts.push(
            `SKU ${sku}: ${units(beyond - line.cancelled)} of this shipment are reserved by a cancellation still waiting for the warehouse; send the event again once it is answered`,
          );
          break;
        }
        const shipped = quantity - beyond;
        const fromProcessing = Math.min(shipped, line.processing);
        const after = {
          ...line,
          fulfilled: line.fulfilled + shipped,
          processing: line.processing - fromProcessing,
        };
        plan.updates.push({ line, after });
        if (beyond > 0) plan.shippedAfterCancellation.push({ lineItemId: line.id, sku, units: beyond });
        // A line filled in part: the rest is killed (what a cancellation in flight holds is
        // killed when that cancellation is answered, see lib/orders/fill-or-kill.ts).
        if (options.fillOrKill && shipped > 0 && after.processing + cancellableOf(after) > 0) {
          plan.kill.push(line.id);
        }
        break;
      }
    }
  }
  if (conflicts.length > 0) return fail("QUANTITY_CONFLICT", { conflicts: conflicts.join("; ") });
  return ok(plan);
}
