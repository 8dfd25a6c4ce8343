import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { ErrorCode } from "./errors";
import {
  applyLineEvent,
  cancellableOf,
  holdsInvariant,
  type LineEvent,
  type LineQuantities,
} from "./quantities";
import {
  type CancelPlan,
  type LineRequest,
  type PlannedLine,
  planLineItemCancel,
  planSubOrderCancel,
  SUB_ORDER_MODES,
  type SubOrderMode,
} from "./rules";
import { deriveSubOrderStatus } from "./status";

const NUM_RUNS = 500;

// ---- generators ---------------------------------------------------------------------------

/** Often 0, so that clean, fully cancelled and fully shipped lines are common too. */
const partArb = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(6) });

/** Any line that holds the invariant: each quantity and the open rest drawn, `ordered` their sum. */
const lineArb: fc.Arbitrary<LineQuantities> = fc
  .record({
    fulfilled: partArb,
    processing: partArb,
    cancelled: partArb,
    pendingCancel: partArb,
    open: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) },
    ),
  })
  .map(({ open, ...q }) => ({
    ...q,
    ordered: open + q.fulfilled + q.processing + q.cancelled + q.pendingCancel,
  }));

/** Mostly plausible quantities, sometimes ones every event must refuse. */
const quantityArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 4, arbitrary: fc.integer({ min: 4, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, Number.NaN) },
);

const eventArb: fc.Arbitrary<LineEvent> = fc.oneof(
  fc.record({ kind: fc.constant("reserve" as const), quantity: quantityArb }),
  fc.record({ kind: fc.constant("confirm" as const), quantity: quantityArb }),
  fc.record({ kind: fc.constant("release" as const), quantity: quantityArb }),
  fc.record({ kind: fc.constant("releasePicklist" as const), quantity: quantityArb }),
  fc.record({ kind: fc.constant("ship" as const), quantity: quantityArb, fillOrKill: fc.boolean() }),
);

const MAX_LINES = 4;
const SKUS = ["A", "B", "C", "D"] as const;

/** A line nothing has happened to yet, apart from cancellations: strict mode can cancel it. */
const cleanLineArb: fc.Arbitrary<LineQuantities> = lineArb.map((q) => ({
  ...q,
  ordered: q.ordered - q.fulfilled - q.processing - q.pendingCancel,
  fulfilled: 0,
  processing: 0,
  pendingCancel: 0,
}));

const subOrderArb: fc.Arbitrary<PlannedLine[]> = fc
  .oneof(
    fc.array(lineArb, { minLength: 1, maxLength: MAX_LINES }),
    fc.array(cleanLineArb, { minLength: 1, maxLength: MAX_LINES }),
  )
  .map((lines) => lines.map((q, i) => ({ ...q, id: 100 + i, sku: SKUS[i] ?? `X${i}` })));

/** What the warehouse answers to a reserved plan: accepted, refused, or not yet. */
const OUTCOMES = ["confirm", "release", "leavePending"] as const;
type Outcome = (typeof OUTCOMES)[number];
const outcomeArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Outcome>("confirm") },
  { weight: 1, arbitrary: fc.constant<Outcome>("release") },
  { weight: 1, arbitrary: fc.constant<Outcome>("leavePending") },
);

/** Mostly the first two lines; an index past the last line names an SKU not on the sub-order. */
const skuIndexArb = fc.oneof(
  { weight: 6, arbitrary: fc.nat(1) },
  { weight: 1, arbitrary: fc.nat(MAX_LINES) },
);

/** Line-item requests ask for a few units at a time, so that many of them fit. */
const requestArb = fc.record({
  skuIndex: skuIndexArb,
  quantity: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 1, max: 2 }) },
    { weight: 2, arbitrary: quantityArb },
  ),
});

type Step =
  | { kind: "event"; lineIndex: number; event: LineEvent }
  | { kind: "subOrder"; mode: SubOrderMode; outcome: Outcome }
  | { kind: "lineItems"; requests: { skuIndex: number; quantity: number }[]; outcome: Outcome };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("event" as const),
      lineIndex: fc.nat(MAX_LINES - 1),
      event: eventArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("subOrder" as const),
      mode: fc.constantFrom(...SUB_ORDER_MODES),
      outcome: outcomeArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("lineItems" as const),
      requests: fc.oneof(
        { weight: 12, arbitrary: fc.array(requestArb, { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constant<{ skuIndex: number; quantity: number }[]>([]) },
      ),
      outcome: outcomeArb,
    }),
  },
);

// ---- checks -------------------------------------------------------------------------------
// Plain checks rather than `expect` in the hot loop: thousands of steps run per property, and a
// failing check throws, which is all fast-check needs to shrink and report the sequence.

function check(condition: boolean, message: string, context?: unknown): asserts condition {
  if (!condition) throw new Error(context === undefined ? message : `${message}: ${JSON.stringify(context)}`);
}

const FIELDS = ["ordered", "fulfilled", "processing", "cancelled", "pendingCancel"] as const;
const sameQuantities = (a: LineQuantities, b: LineQuantities) => FIELDS.every((f) => a[f] === b[f]);
const copyOf = <T extends object>(x: T): T => ({ ...x });

const EVENT_REFUSALS: ErrorCode[] = ["INVALID_QUANTITY", "QUANTITY_EXCEEDS_CANCELLABLE"];

/** What an accepted event must produce: each event moves units only between its own columns. */
function expectedAfter(line: LineQuantities, event: LineEvent): LineQuantities {
  const q = event.quantity;
  switch (event.kind) {
    case "reserve":
      return { ...line, pendingCancel: line.pendingCancel + q };
    case "confirm":
      return { ...line, pendingCancel: line.pendingCancel - q, cancelled: line.cancelled + q };
    case "release":
      return { ...line, pendingCancel: line.pendingCancel - q };
    case "releasePicklist":
      return { ...line, processing: line.processing + q };
    case "ship": {
      const shipped = { ...line, processing: line.processing - q, fulfilled: line.fulfilled + q };
      // Fill-or-kill cancels exactly what is still cancellable after the shipment.
      return event.fillOrKill
        ? { ...shipped, cancelled: shipped.cancelled + cancellableOf(shipped) }
        : shipped;
    }
  }
}

/** Applies one event and checks everything that must hold across it; returns the line after. */
function step<Q extends LineQuantities>(line: Q, event: LineEvent): Q {
  const snapshot = copyOf(line);
  const result = applyLineEvent(line, event);
  const context = { line: snapshot, event };
  check(sameQuantities(line, snapshot), "the event modified the line it was given", context);
  if (!result.ok) {
    check(EVENT_REFUSALS.includes(result.error.code), `unexpected refusal ${result.error.code}`, context);
    return line; // a refused event leaves the line exactly as it was
  }
  const next = result.value;
  check(holdsInvariant(next), "invariant broken", { ...context, next });
  check(next.cancelled >= line.cancelled, "cancelled decreased", { ...context, next });
  check(next.fulfilled >= line.fulfilled, "fulfilled decreased", { ...context, next });
  check(sameQuantities(next, expectedAfter(line, event)), "unexpected quantities", { ...context, next });
  if (event.kind === "ship" && event.fillOrKill) {
    check(cancellableOf(next) === 0, "fill-or-kill left units open", { ...context, next });
  }
  return next;
}

/** Checks a plan against the lines it was made from, then reserves it and settles it. */
function applyPlan(lines: PlannedLine[], plan: CancelPlan, outcome: Outcome): PlannedLine[] {
  const context = { lines, plan };
  const ids = plan.lines.map((p) => p.lineItemId);
  check(new Set(ids).size === ids.length, "a plan took from a line twice", context);
  check(plan.lines.length > 0, "a successful plan cancels nothing", context);
  check(
    plan.units === plan.lines.reduce((sum, p) => sum + p.quantity, 0),
    "plan.units is not the sum",
    context,
  );
  for (const p of plan.lines) {
    const line = lines.find((l) => l.id === p.lineItemId);
    check(line !== undefined && line.sku === p.sku, "a plan names a line that is not there", context);
    check(Number.isInteger(p.quantity) && p.quantity >= 1, "a plan takes a bad quantity", context);
    check(p.quantity <= cancellableOf(line), "a plan takes more than is cancellable", context);
  }
  // Reserve every planned line (one transaction), then settle them (another).
  const quantityFor = (line: PlannedLine) => plan.lines.find((p) => p.lineItemId === line.id)?.quantity;
  const reserved = lines.map((line) => {
    const quantity = quantityFor(line);
    if (quantity === undefined) return line;
    const next = step(line, { kind: "reserve", quantity });
    check(next !== line, "reserving a planned quantity was refused", context);
    return next;
  });
  if (outcome === "leavePending") return reserved;
  return reserved.map((line) => {
    const quantity = quantityFor(line);
    if (quantity === undefined) return line;
    const next = step(line, { kind: outcome, quantity });
    check(next !== line, `${outcome} of a reserved quantity was refused`, context);
    return next;
  });
}

function planStep(lines: PlannedLine[], s: Exclude<Step, { kind: "event" }>): PlannedLine[] {
  const snapshot = lines.map(copyOf);
  const unchanged = () => lines.every((l, i) => snapshot[i] !== undefined && sameQuantities(l, snapshot[i]));
  const context = { lines: snapshot, step: s };
  if (s.kind === "subOrder") {
    const result = planSubOrderCancel("SO-P", lines, s.mode);
    check(unchanged(), "planning modified the lines", context);
    // The planner and the derived status agree on what "already cancelled" means.
    const isCancelled = deriveSubOrderStatus(lines) === "cancelled";
    const saysCancelled = !result.ok && result.error.code === "ALREADY_CANCELLED";
    check(saysCancelled === isCancelled, "planner and status disagree on 'cancelled'", context);
    if (!result.ok) {
      check(result.error.message !== "", "empty error message", context);
      if (s.mode === "unfulfilled_only") {
        check(
          lines.every((l) => cancellableOf(l) === 0),
          "unfulfilled_only refused with units left",
          { ...context, error: result.error },
        );
      }
      return lines;
    }
    if (s.mode === "strict") {
      check(
        lines.every((l) => l.fulfilled === 0 && l.processing === 0 && l.pendingCancel === 0),
        "strict accepted a sub-order with shipped, allocated or in-flight units",
        context,
      );
    }
    // Both modes take every cancellable unit of every line.
    for (const line of lines) {
      const taken = result.value.lines.find((p) => p.lineItemId === line.id)?.quantity ?? 0;
      check(taken === cancellableOf(line), "a sub-order plan left cancellable units", context);
    }
    const after = applyPlan(lines, result.value, s.outcome);
    if (s.mode === "strict" && s.outcome === "confirm") {
      check(
        deriveSubOrderStatus(after) === "cancelled",
        "strict cancel confirmed but not cancelled",
        context,
      );
    }
    return after;
  }
  const requests: LineRequest[] = s.requests.map(({ skuIndex, quantity }) => ({
    sku: lines[skuIndex]?.sku ?? `UNKNOWN-${skuIndex}`,
    quantity,
  }));
  const result = planLineItemCancel("SO-P", lines, requests);
  check(unchanged(), "planning modified the lines", context);
  if (!result.ok) {
    if (requests.length === 0) {
      check(result.error.code === "INVALID_INPUT", "an empty request list is not INVALID_INPUT", context);
    } else {
      const [first] = result.error.lineErrors ?? [];
      check(
        first?.code === result.error.code,
        "a failed group must list its bad lines, first first",
        context,
      );
    }
    return lines;
  }
  // A successful group takes exactly what was asked, in order.
  const asked = requests.map((r) => `${r.sku}:${r.quantity}`).join(",");
  const taken = result.value.lines.map((p) => `${p.sku}:${p.quantity}`).join(",");
  check(asked === taken, "a line-item plan differs from the requests", { ...context, plan: result.value });
  return applyPlan(lines, result.value, s.outcome);
}

// ---- properties ---------------------------------------------------------------------------

describe("line quantities under any sequence of events", () => {
  test("the invariant holds after every step; refusals change nothing; cancelled never decreases", () => {
    fc.assert(
      fc.property(lineArb, fc.array(eventArb, { maxLength: 30 }), (start, events) => {
        let line = start;
        for (const event of events) line = step(line, event);
        expect(holdsInvariant(line)).toBe(true);
        expect(line.cancelled).toBeGreaterThanOrEqual(start.cancelled);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("a sub-order under events and whole cancellation plans", () => {
  test("plans never take more than cancellable, and applying them keeps every line valid", () => {
    fc.assert(
      fc.property(subOrderArb, fc.array(stepArb, { maxLength: 20 }), (start, steps) => {
        let lines = start;
        for (const s of steps) {
          const before = lines;
          if (s.kind === "event") {
            const i = s.lineIndex % lines.length;
            lines = lines.map((line, j) => (j === i ? step(line, s.event) : line));
          } else {
            lines = planStep(lines, s);
          }
          lines.forEach((line, j) => {
            const prev = before[j];
            check(prev !== undefined && line.id === prev.id, "lines were reordered or lost");
            check(holdsInvariant(line), "invariant broken", { line, step: s });
            check(line.cancelled >= prev.cancelled, "cancelled decreased", { before: prev, line, step: s });
          });
        }
        expect(lines.map((l) => l.id)).toEqual(start.map((l) => l.id));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
