import { fail, type LineError, ok, type Result, units } from "./errors";
import { breakdown, cancellableOf, type LineQuantities } from "./quantities";

export type PlannedLine = LineQuantities & { id: number; sku: string };

export const SUB_ORDER_MODES = ["strict", "unfulfilled_only"] as const;
export type SubOrderMode = (typeof SUB_ORDER_MODES)[number];

export type LineRequest = { sku: string; quantity: number };

/** What a cancellation will take from each line; the same plan serves the preview and the run. */
export type CancelPlan = {
  lines: { lineItemId: number; sku: string; quantity: number }[];
  units: number;
};

function planOf(entries: { line: PlannedLine; quantity: number }[]): CancelPlan {
  const lines = entries
    .filter((e) => e.quantity > 0)
    .map((e) => ({ lineItemId: e.line.id, sku: e.line.sku, quantity: e.quantity }));
  return { lines, units: lines.reduce((sum, l) => sum + l.quantity, 0) };
}

const isFullyCancelled = (lines: PlannedLine[]) => lines.every((l) => l.cancelled === l.ordered);

function describeBlockers(lines: PlannedLine[], field: "fulfilled" | "processing" | "pendingCancel"): string {
  const state = {
    fulfilled: "fulfilled (shipped)",
    processing: "in processing (picklist released)",
    pendingCancel: "in a cancellation still in flight",
  }[field];
  return lines
    .filter((l) => l[field] > 0)
    .map((l) => `SKU ${l.sku}: ${units(l[field])} ${state}`)
    .join("; ");
}

/**
 * Cancel a whole sub-order. `strict` (the default) refuses when any unit is shipped, in
 * processing or already being cancelled; `unfulfilled_only` cancels what it can and
 * refuses only when nothing is left.
 */
export function planSubOrderCancel(
  subOrderId: string,
  lines: PlannedLine[],
  mode: SubOrderMode,
): Result<CancelPlan> {
  if (lines.length === 0 || isFullyCancelled(lines)) {
    return fail("ALREADY_CANCELLED", `Sub-order ${subOrderId} is already cancelled`);
  }
  const plan = planOf(lines.map((line) => ({ line, quantity: cancellableOf(line) })));
  if (mode === "strict") {
    if (lines.some((l) => l.pendingCancel > 0)) {
      return fail("CANCELLATION_IN_PROGRESS", describeBlockers(lines, "pendingCancel"));
    }
    if (lines.some((l) => l.fulfilled > 0))
      return fail("PARTIALLY_FULFILLED", describeBlockers(lines, "fulfilled"));
    if (lines.some((l) => l.processing > 0))
      return fail("IN_PROCESSING", describeBlockers(lines, "processing"));
    return ok(plan);
  }
  if (plan.units === 0) {
    const blockers = (["pendingCancel", "fulfilled", "processing"] as const)
      .map((field) => describeBlockers(lines, field))
      .filter(Boolean)
      .join("; ");
    const code = lines.some((l) => l.pendingCancel > 0) ? "CANCELLATION_IN_PROGRESS" : "NOTHING_CANCELLABLE";
    return fail(code, `Nothing left to cancel on ${subOrderId}: ${blockers}`);
  }
  return ok(plan);
}

/**
 * Cancel quantities of some lines of one sub-order. The requests form one unit of work:
 * any bad line fails them all, and every bad line is reported.
 */
export function planLineItemCancel(
  subOrderId: string,
  lines: PlannedLine[],
  requests: LineRequest[],
): Result<CancelPlan> {
  if (requests.length === 0) return fail("INVALID_INPUT", `No line items given for sub-order ${subOrderId}`);
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  const seen = new Set<string>();
  const errors: LineError[] = [];
  const entries: { line: PlannedLine; quantity: number }[] = [];
  for (const { sku, quantity } of requests) {
    const line = bySku.get(sku);
    if (seen.has(sku)) {
      errors.push({
        sku,
        code: "DUPLICATE_ROW",
        message: `SKU ${sku} appears more than once for ${subOrderId}`,
      });
    } else if (!Number.isInteger(quantity) || quantity < 1) {
      errors.push({
        sku,
        code: "INVALID_QUANTITY",
        message: `SKU ${sku}: quantity must be a whole number of at least 1, got ${quantity}`,
      });
    } else if (!line) {
      errors.push({
        sku,
        code: "LINE_ITEM_NOT_FOUND",
        message: `SKU ${sku} is not on sub-order ${subOrderId}`,
      });
    } else if (line.cancelled === line.ordered) {
      errors.push({
        sku,
        code: "ALREADY_CANCELLED",
        message: `SKU ${sku}: all ${units(line.ordered)} already cancelled`,
      });
    } else if (quantity > cancellableOf(line)) {
      errors.push({
        sku,
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: `SKU ${sku}: ${breakdown(line, quantity)}`,
      });
    } else {
      entries.push({ line, quantity });
    }
    seen.add(sku);
  }
  const [first] = errors;
  if (first) return fail(first.code, errors.map((e) => e.message).join("; "), errors);
  return ok(planOf(entries));
}
