import { fail, failed, type LineError, lineError, ok, type Result, units } from "./errors";
import { breakdown, cancellableOf, type LineQuantities } from "./quantities";

export type PlannedLine = LineQuantities & { id: number; sku: string };

export const SUB_ORDER_MODES = ["strict", "unfulfilled_only"] as const;
export type SubOrderMode = (typeof SUB_ORDER_MODES)[number];

export type LineRequest = { sku: string; quantity: number };

/** What the sub-order's channel (DESIGN.md rule 7) and warehouse allow. */
export type ChannelPolicy = {
  channelName: string;
  /** False: a line is cancelled entirely or not at all (whole lines only). */
  partialQuantities: boolean;
  /**
   * The sub-order's warehouse, when its system cancels whole orders only (the WMS contract has no
   * partial form): a cancellation must then leave no unit of the sub-order open or in processing.
   */
  wholeOrdersOnlyAt?: string | null;
};

/** A channel that takes any quantity: what a plan assumes when it is not told otherwise. */
export const ANY_QUANTITY: ChannelPolicy = { channelName: "The channel", partialQuantities: true };

/** What a cancellation will take from each line; the same plan serves the preview and the run. */
export type CancelPlan = {
  lines: { lineItemId: number; sku: string; quantity: number }[];
  units: number;
};

/** What a plan is worth: its units at their lines' prices, in minor units. */
export function planValueMinor(
  plan: CancelPlan,
  lines: readonly { id: number; unitPriceMinor: number }[],
): number {
  const priceOf = new Map(lines.map((l) => [l.id, l.unitPriceMinor]));
  return plan.lines.reduce((sum, l) => sum + l.quantity * (priceOf.get(l.lineItemId) ?? 0), 0);
}

/** The plan that takes `quantity` units of each line (lines with 0 are left out). */
export function planOf(entries: { line: PlannedLine; quantity: number }[]): CancelPlan {
  const lines = entries
    .filter((e) => e.quantity > 0)
    .map((e) => ({ lineItemId: e.line.id, sku: e.line.sku, quantity: e.quantity }));
  return { lines, units: lines.reduce((sum, l) => sum + l.quantity, 0) };
}

/** Every unit of the sub-order is cancelled (and there was something to cancel). */
const isFullyCancelled = (lines: PlannedLine[]) =>
  lines.some((l) => l.ordered > 0) && lines.every((l) => l.cancelled === l.ordered);

const BLOCKER_STATES = {
  fulfilled: "fulfilled (shipped)",
  processing: "in processing (picklist released)",
  pendingCancel: "in a cancellation still in flight",
} as const;
const BLOCKING_FIELDS = ["fulfilled", "processing", "pendingCancel"] as const;

/**
 * Names every blocking SKU with each of its blocking states, one SKU per clause:
 * `SKU A: 3 units fulfilled (shipped), 2 units in processing (picklist released); SKU B: ...`
 */
function describeBlockers(lines: PlannedLine[]): string {
  return lines
    .map((l) => ({
      sku: l.sku,
      parts: BLOCKING_FIELDS.filter((f) => l[f] > 0).map((f) => `${units(l[f])} ${BLOCKER_STATES[f]}`),
    }))
    .filter((b) => b.parts.length > 0)
    .map((b) => `SKU ${b.sku}: ${b.parts.join(", ")}`)
    .join("; ");
}

/**
 * The most of a line that one cancellation may take now under the channel's policy: all that is
 * cancellable, or, on a whole-lines-only channel, all of it or nothing (a line with units shipped,
 * in processing or in flight cannot be cancelled whole, so nothing of it).
 */
export function cancellableUnder(line: LineQuantities, policy: ChannelPolicy): number {
  const cancellable = cancellableOf(line);
  if (policy.partialQuantities) return cancellable;
  return cancellable === line.ordered - line.cancelled ? cancellable : 0;
}

/**
 * On a whole-lines-only channel, every line the plan touches must lose all that is left of it.
 * Each line that would keep units fails the plan, with what keeps them.
 */
function wholeLinesOnly(
  plan: CancelPlan,
  lines: readonly PlannedLine[],
  policy: ChannelPolicy,
): Result<CancelPlan> {
  if (policy.partialQuantities) return ok(plan);
  const errors: LineError[] = [];
  for (const planned of plan.lines) {
    const line = lines.find((l) => l.id === planned.lineItemId);
    const open = line ? line.ordered - line.cancelled : 0;
    if (!line || planned.quantity >= open) continue;
    const blockers = describeBlockers([line]);
    errors.push(
      lineError(line.sku, "WHOLE_LINES_ONLY", {
        channel: policy.channelName,
        sku: line.sku,
        requested: planned.quantity,
        open,
        blocked: blockers === "" ? null : blockers.slice(`SKU ${line.sku}: `.length),
      }),
    );
  }
  const [first] = errors;
  if (!first) return ok(plan);
  return failed({ code: first.code, message: errors.map((e) => e.message).join("; "), lineErrors: errors });
}

/**
 * At a warehouse that cancels whole orders only, the plan must take every unit still open and
 * leave none in processing; otherwise it fails before anything is reserved or asked.
 */
function wholeOrdersOnly(
  subOrderId: string,
  planned: Result<CancelPlan>,
  lines: readonly PlannedLine[],
  policy: ChannelPolicy,
): Result<CancelPlan> {
  if (!planned.ok || !policy.wholeOrdersOnlyAt) return planned;
  const taken = new Map(planned.value.lines.map((l) => [l.lineItemId, l.quantity]));
  const left = lines.reduce((sum, l) => sum + cancellableOf(l) - (taken.get(l.id) ?? 0) + l.processing, 0);
  if (left === 0) return planned;
  return fail("WAREHOUSE_WHOLE_ORDERS_ONLY", { warehouse: policy.wholeOrdersOnlyAt, subOrderId, left });
}

/**
 * Cancel a whole sub-order. `strict` (the default) refuses when any unit is shipped, in
 * processing or already being cancelled; `unfulfilled_only` cancels what it can and
 * refuses only when nothing is left (and, on a whole-lines-only channel, when it would leave a
 * line partly cancelled).
 */
export function planSubOrderCancel(
  subOrderId: string,
  lines: PlannedLine[],
  mode: SubOrderMode,
  policy: ChannelPolicy = ANY_QUANTITY,
): Result<CancelPlan> {
  if (!lines.some((l) => l.ordered > 0)) {
    return fail("NOTHING_CANCELLABLE", { emptySubOrderId: subOrderId });
  }
  if (isFullyCancelled(lines)) {
    return fail("ALREADY_CANCELLED", { subOrderId });
  }
  const plan = planOf(lines.map((line) => ({ line, quantity: cancellableOf(line) })));
  if (mode === "strict") {
    // Shipped and allocated units are the lasting reasons, so they decide the code; an
    // in-flight cancellation alone is the only transient one. The message names them all.
    const code = lines.some((l) => l.fulfilled > 0)
      ? "PARTIALLY_FULFILLED"
      : lines.some((l) => l.processing > 0)
        ? "IN_PROCESSING"
        : lines.some((l) => l.pendingCancel > 0)
          ? "CANCELLATION_IN_PROGRESS"
          : undefined;
    if (code) return fail(code, { blockers: describeBlockers(lines) });
    return wholeOrdersOnly(subOrderId, ok(plan), lines, policy);
  }
  if (plan.units === 0) {
    const code = lines.some((l) => l.pendingCancel > 0) ? "CANCELLATION_IN_PROGRESS" : "NOTHING_CANCELLABLE";
    return fail(code, { blockers: describeBlockers(lines), nothingLeftOn: subOrderId });
  }
  return wholeOrdersOnly(subOrderId, wholeLinesOnly(plan, lines, policy), lines, policy);
}

/**
 * Cancel quantities of some lines of one sub-order. The requests form one unit of work:
 * any bad line fails them all, and every bad line is reported.
 */
export function planLineItemCancel(
  subOrderId: string,
  lines: PlannedLine[],
  requests: LineRequest[],
  policy: ChannelPolicy = ANY_QUANTITY,
): Result<CancelPlan> {
  if (requests.length === 0) {
    return fail("INVALID_INPUT", { problem: `No line items given for sub-order ${subOrderId}` });
  }
  const bySku = new Map(lines.map((l) => [l.sku, l]));
  const seen = new Set<string>();
  const errors: LineError[] = [];
  const entries: { line: PlannedLine; quantity: number }[] = [];
  for (const { sku, quantity } of requests) {
    const line = bySku.get(sku);
    if (seen.has(sku)) {
      errors.push(lineError(sku, "DUPLICATE_ROW", { sku, subOrderId }));
    } else if (!Number.isInteger(quantity) || quantity < 1) {
      errors.push(
        lineError(sku, "INVALID_QUANTITY", {
          problem: `SKU ${sku}: quantity must be a whole number of at least 1, got ${quantity}`,
        }),
      );
    } else if (!line) {
      errors.push(lineError(sku, "LINE_ITEM_NOT_FOUND", { sku, subOrderId }));
    } else if (line.ordered > 0 && line.cancelled === line.ordered) {
      errors.push(lineError(sku, "ALREADY_CANCELLED", { sku, ordered: line.ordered }));
    } else if (quantity > cancellableOf(line)) {
      errors.push(
        lineError(sku, "QUANTITY_EXCEEDS_CANCELLABLE", { sku, breakdown: breakdown(line, quantity) }),
      );
    } else {
      entries.push({ line, quantity });
    }
    seen.add(sku);
  }
  const [first] = errors;
  if (first)
    return failed({ code: first.code, message: errors.map((e) => e.message).join("; "), lineErrors: errors });
  return wholeOrdersOnly(subOrderId, wholeLinesOnly(planOf(entries), lines, policy), lines, policy);
}
