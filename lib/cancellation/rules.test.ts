import { describe, expect, test } from "vitest";
import { ERROR_CODES, type ErrorCode, type LineError } from "./errors";
import type { LineQuantities } from "./quantities";
import {
  type CancelPlan,
  type LineRequest,
  type PlannedLine,
  planLineItemCancel,
  planSubOrderCancel,
  type SubOrderMode,
} from "./rules";

const SUB_ORDER = "SO-1";

type LineSpec = Omit<PlannedLine, "id">;

/** A line of the sub-order: `ordered` units, everything else 0 unless given. */
const L = (sku: string, ordered: number, rest: Partial<Omit<LineQuantities, "ordered">> = {}): LineSpec => ({
  sku,
  ordered,
  fulfilled: 0,
  processing: 0,
  cancelled: 0,
  pendingCancel: 0,
  ...rest,
});

/** Line ids are 101, 102, ... in the order given, so plans can be checked against them. */
const withIds = (specs: LineSpec[]): PlannedLine[] => specs.map((s, i) => ({ id: 101 + i, ...s }));

/** The expected plan, from `[sku, quantity]` pairs, with the ids `withIds` gave those SKUs. */
function expectedPlan(lines: PlannedLine[], take: [sku: string, quantity: number][]): CancelPlan {
  const planned = take.map(([sku, quantity]) => {
    const line = lines.find((l) => l.sku === sku);
    if (!line) throw new Error(`test setup: no line ${sku}`);
    return { lineItemId: line.id, sku, quantity };
  });
  return { lines: planned, units: planned.reduce((sum, l) => sum + l.quantity, 0) };
}

/** Every code a rule returned in this file, to check that no code the rules can return goes untested. */
const codesSeen = new Set<ErrorCode>();
function expectFailure(result: ReturnType<typeof planSubOrderCancel>, code: ErrorCode, message: string) {
  expect(result).toEqual({ ok: false, error: expect.objectContaining({ code, message }) });
  codesSeen.add(code);
}

describe("planSubOrderCancel", () => {
  type Success = { name: string; lines: LineSpec[]; take: [string, number][] };
  type Failure = { name: string; lines: LineSpec[]; code: ErrorCode; message: string };

  describe("strict", () => {
    test.each<Success>([
      { name: "one open line: every unit", lines: [L("A", 3)], take: [["A", 3]] },
      {
        name: "several open lines: every unit of each",
        lines: [L("A", 3), L("B", 1), L("C", 7)],
        take: [
          ["A", 3],
          ["B", 1],
          ["C", 7],
        ],
      },
      {
        name: "partially cancelled, otherwise open: cancels the rest",
        lines: [L("A", 5, { cancelled: 2 }), L("B", 2, { cancelled: 2 }), L("C", 4)],
        take: [
          ["A", 3],
          ["C", 4],
        ],
      },
      {
        name: "a line with nothing ordered is skipped",
        lines: [L("A", 0), L("B", 2)],
        take: [["B", 2]],
      },
    ])("succeeds: $name", ({ lines: specs, take }) => {
      const lines = withIds(specs);
      expect(planSubOrderCancel(SUB_ORDER, lines, "strict")).toEqual({
        ok: true,
        value: expectedPlan(lines, take),
      });
    });

    test.each<Failure>([
      {
        name: "units in processing",
        lines: [L("TSHIRT-M-RED", 5, { processing: 2 }), L("CAP-BLUE", 1)],
        code: "IN_PROCESSING",
        message: "SKU TSHIRT-M-RED: 2 units in processing (picklist released)",
      },
      {
        name: "one unit in processing (singular)",
        lines: [L("A", 5, { processing: 1 })],
        code: "IN_PROCESSING",
        message: "SKU A: 1 unit in processing (picklist released)",
      },
      {
        name: "every line in processing: all listed",
        lines: [L("A", 2, { processing: 2 }), L("B", 3, { processing: 1, cancelled: 1 })],
        code: "IN_PROCESSING",
        message:
          "SKU A: 2 units in processing (picklist released); SKU B: 1 unit in processing (picklist released)",
      },
      {
        name: "a unit shipped",
        lines: [L("TSHIRT-M-RED", 4, { fulfilled: 1 }), L("CAP-BLUE", 1)],
        code: "PARTIALLY_FULFILLED",
        message: "SKU TSHIRT-M-RED: 1 unit fulfilled (shipped)",
      },
      {
        name: "fully shipped",
        lines: [L("A", 2, { fulfilled: 2 }), L("B", 3, { fulfilled: 3 })],
        code: "PARTIALLY_FULFILLED",
        message: "SKU A: 2 units fulfilled (shipped); SKU B: 3 units fulfilled (shipped)",
      },
      {
        name: "shipped and in processing: shipped decides the code, every blocking SKU is named",
        lines: [
          L("A", 4, { fulfilled: 2 }),
          L("B", 3),
          L("C", 2, { processing: 1 }),
          L("D", 6, { fulfilled: 1, processing: 3 }),
        ],
        code: "PARTIALLY_FULFILLED",
        message:
          "SKU A: 2 units fulfilled (shipped); SKU C: 1 unit in processing (picklist released); " +
          "SKU D: 1 unit fulfilled (shipped), 3 units in processing (picklist released)",
      },
      {
        name: "a cancellation in flight on the whole sub-order",
        lines: [L("A", 4, { pendingCancel: 4 })],
        code: "CANCELLATION_IN_PROGRESS",
        message: "SKU A: 4 units in a cancellation still in flight",
      },
      {
        name: "a cancellation in flight on part of a line",
        lines: [L("A", 4, { pendingCancel: 1 }), L("B", 2)],
        code: "CANCELLATION_IN_PROGRESS",
        message: "SKU A: 1 unit in a cancellation still in flight",
      },
      {
        name: "in flight and in processing: processing (the lasting reason) decides the code",
        lines: [L("A", 4, { pendingCancel: 2 }), L("B", 2, { processing: 2 })],
        code: "IN_PROCESSING",
        message:
          "SKU A: 2 units in a cancellation still in flight; SKU B: 2 units in processing (picklist released)",
      },
      {
        name: "fully cancelled",
        lines: [L("A", 3, { cancelled: 3 })],
        code: "ALREADY_CANCELLED",
        message: "Sub-order SO-1 is already cancelled",
      },
      {
        name: "fully cancelled, several lines (and one with nothing ordered)",
        lines: [L("A", 3, { cancelled: 3 }), L("B", 1, { cancelled: 1 }), L("C", 0)],
        code: "ALREADY_CANCELLED",
        message: "Sub-order SO-1 is already cancelled",
      },
      {
        name: "no lines",
        lines: [],
        code: "NOTHING_CANCELLABLE",
        message: "Sub-order SO-1 has no units to cancel",
      },
      {
        name: "only lines with nothing ordered",
        lines: [L("A", 0), L("B", 0)],
        code: "NOTHING_CANCELLABLE",
        message: "Sub-order SO-1 has no units to cancel",
      },
    ])("fails: $name -> $code", ({ lines, code, message }) => {
      expectFailure(planSubOrderCancel(SUB_ORDER, withIds(lines), "strict"), code, message);
    });
  });

  describe("unfulfilled_only", () => {
    test.each<Success>([
      { name: "one open line: every unit", lines: [L("A", 3)], take: [["A", 3]] },
      {
        name: "leaves shipped and processing units alone, skips lines with nothing left",
        lines: [
          L("A", 5, { fulfilled: 2, processing: 1, cancelled: 1 }),
          L("B", 3),
          L("C", 2, { fulfilled: 2 }),
          L("D", 4, { processing: 4 }),
        ],
        take: [
          ["A", 1],
          ["B", 3],
        ],
      },
      {
        name: "partially cancelled: cancels the rest",
        lines: [L("A", 5, { cancelled: 4 }), L("B", 2, { cancelled: 2 })],
        take: [["A", 1]],
      },
      {
        name: "units in flight are not taken twice",
        lines: [L("A", 5, { pendingCancel: 2 }), L("B", 2, { pendingCancel: 2 }), L("C", 1)],
        take: [
          ["A", 3],
          ["C", 1],
        ],
      },
    ])("succeeds: $name", ({ lines: specs, take }) => {
      const lines = withIds(specs);
      expect(planSubOrderCancel(SUB_ORDER, lines, "unfulfilled_only")).toEqual({
        ok: true,
        value: expectedPlan(lines, take),
      });
    });

    test.each<Failure>([
      {
        name: "everything shipped or in processing: breakdown per SKU",
        lines: [L("A", 3, { fulfilled: 3 }), L("B", 2, { processing: 2 })],
        code: "NOTHING_CANCELLABLE",
        message:
          "Nothing left to cancel on SO-1: SKU A: 3 units fulfilled (shipped); " +
          "SKU B: 2 units in processing (picklist released)",
      },
      {
        name: "the rest of a shipped line is already cancelled",
        lines: [L("A", 4, { fulfilled: 2, cancelled: 2 }), L("B", 1, { cancelled: 1 })],
        code: "NOTHING_CANCELLABLE",
        message: "Nothing left to cancel on SO-1: SKU A: 2 units fulfilled (shipped)",
      },
      {
        name: "a line both shipped and in processing",
        lines: [L("A", 4, { fulfilled: 1, processing: 3 })],
        code: "NOTHING_CANCELLABLE",
        message:
          "Nothing left to cancel on SO-1: SKU A: 1 unit fulfilled (shipped), 3 units in processing (picklist released)",
      },
      {
        name: "what is left is in a cancellation in flight",
        lines: [L("A", 2, { pendingCancel: 2 }), L("B", 1, { fulfilled: 1 })],
        code: "CANCELLATION_IN_PROGRESS",
        message:
          "Nothing left to cancel on SO-1: SKU A: 2 units in a cancellation still in flight; " +
          "SKU B: 1 unit fulfilled (shipped)",
      },
      {
        name: "fully cancelled",
        lines: [L("A", 3, { cancelled: 3 }), L("B", 2, { cancelled: 2 })],
        code: "ALREADY_CANCELLED",
        message: "Sub-order SO-1 is already cancelled",
      },
      {
        name: "no lines",
        lines: [],
        code: "NOTHING_CANCELLABLE",
        message: "Sub-order SO-1 has no units to cancel",
      },
    ])("fails: $name -> $code", ({ lines, code, message }) => {
      expectFailure(planSubOrderCancel(SUB_ORDER, withIds(lines), "unfulfilled_only"), code, message);
    });
  });

  test.each<SubOrderMode>(["strict", "unfulfilled_only"])(
    "%s: an open sub-order gets the same plan in both modes",
    (mode) => {
      const lines = withIds([L("A", 2), L("B", 5, { cancelled: 1 })]);
      expect(planSubOrderCancel(SUB_ORDER, lines, mode)).toEqual({
        ok: true,
        value: expectedPlan(lines, [
          ["A", 2],
          ["B", 4],
        ]),
      });
    },
  );

  test("does not modify the lines it is given", () => {
    const lines = withIds([L("A", 5, { fulfilled: 1 }), L("B", 2)]);
    const before = structuredClone(lines);
    planSubOrderCancel(SUB_ORDER, lines, "strict");
    planSubOrderCancel(SUB_ORDER, lines, "unfulfilled_only");
    expect(lines).toEqual(before);
  });
});

describe("planLineItemCancel", () => {
  test.each<{ name: string; lines: LineSpec[]; requests: LineRequest[]; take: [string, number][] }>([
    {
      name: "a whole open line",
      lines: [L("A", 5), L("B", 2)],
      requests: [{ sku: "A", quantity: 5 }],
      take: [["A", 5]],
    },
    {
      name: "part of a line",
      lines: [L("A", 5)],
      requests: [{ sku: "A", quantity: 2 }],
      take: [["A", 2]],
    },
    {
      name: "exactly the cancellable rest of a busy line",
      lines: [L("A", 10, { fulfilled: 3, processing: 2, cancelled: 1, pendingCancel: 1 })],
      requests: [{ sku: "A", quantity: 3 }],
      take: [["A", 3]],
    },
    {
      name: "several lines, in the order requested",
      lines: [L("A", 5), L("B", 2), L("C", 4, { cancelled: 1 })],
      requests: [
        { sku: "C", quantity: 3 },
        { sku: "A", quantity: 1 },
      ],
      take: [
        ["C", 3],
        ["A", 1],
      ],
    },
  ])("succeeds: $name", ({ lines: specs, requests, take }) => {
    const lines = withIds(specs);
    expect(planLineItemCancel(SUB_ORDER, lines, requests)).toEqual({
      ok: true,
      value: expectedPlan(lines, take),
    });
  });

  test.each<{ name: string; line: LineSpec; request: LineRequest; code: ErrorCode; message: string }>([
    {
      name: "more than cancellable (the documented breakdown)",
      line: L("A", 5, { fulfilled: 3 }),
      request: { sku: "A", quantity: 5 },
      code: "QUANTITY_EXCEEDS_CANCELLABLE",
      message: "SKU A: requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
    },
    {
      name: "more than cancellable on a busy line",
      line: L("A", 10, { fulfilled: 1, processing: 2, cancelled: 3 }),
      request: { sku: "A", quantity: 5 },
      code: "QUANTITY_EXCEEDS_CANCELLABLE",
      message: "SKU A: requested 5, cancellable 4: 1 fulfilled, 2 in processing, 3 already cancelled",
    },
    {
      name: "the rest is in a cancellation in flight",
      line: L("A", 5, { cancelled: 1, pendingCancel: 4 }),
      request: { sku: "A", quantity: 1 },
      code: "QUANTITY_EXCEEDS_CANCELLABLE",
      message:
        "SKU A: requested 1, cancellable 0: 0 fulfilled, 0 in processing, 1 already cancelled, " +
        "4 in a cancellation still in flight",
    },
    {
      name: "a fully shipped line",
      line: L("A", 2, { fulfilled: 2 }),
      request: { sku: "A", quantity: 1 },
      code: "QUANTITY_EXCEEDS_CANCELLABLE",
      message: "SKU A: requested 1, cancellable 0: 2 fulfilled, 0 in processing, 0 already cancelled",
    },
    {
      name: "a line with nothing ordered is not 'already cancelled'",
      line: L("A", 0),
      request: { sku: "A", quantity: 1 },
      code: "QUANTITY_EXCEEDS_CANCELLABLE",
      message: "SKU A: requested 1, cancellable 0: 0 fulfilled, 0 in processing, 0 already cancelled",
    },
    {
      name: "a fully cancelled line",
      line: L("A", 3, { cancelled: 3 }),
      request: { sku: "A", quantity: 1 },
      code: "ALREADY_CANCELLED",
      message: "SKU A: all 3 units already cancelled",
    },
    {
      name: "a fully cancelled line of one unit",
      line: L("A", 1, { cancelled: 1 }),
      request: { sku: "A", quantity: 1 },
      code: "ALREADY_CANCELLED",
      message: "SKU A: all 1 unit already cancelled",
    },
    {
      name: "an SKU not on the sub-order",
      line: L("A", 3),
      request: { sku: "NOPE", quantity: 1 },
      code: "LINE_ITEM_NOT_FOUND",
      message: "SKU NOPE is not on sub-order SO-1",
    },
    ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY].map((quantity) => ({
      name: `quantity ${quantity}`,
      line: L("A", 3),
      request: { sku: "A", quantity },
      code: "INVALID_QUANTITY" as const,
      message: `SKU A: quantity must be a whole number of at least 1, got ${quantity}`,
    })),
  ])("fails: $name -> $code", ({ line, request, code, message }) => {
    const result = planLineItemCancel(SUB_ORDER, withIds([line]), [request]);
    expect(result).toEqual({
      ok: false,
      error: { code, message, lineErrors: [{ sku: request.sku, code, message }] },
    });
    codesSeen.add(code);
  });

  test("a duplicated SKU fails the group, even when each row alone is fine", () => {
    const result = planLineItemCancel(SUB_ORDER, withIds([L("A", 5)]), [
      { sku: "A", quantity: 1 },
      { sku: "A", quantity: 2 },
    ]);
    const lineError: LineError = {
      sku: "A",
      code: "DUPLICATE_ROW",
      message: "SKU A appears more than once for SO-1",
    };
    expect(result).toEqual({
      ok: false,
      error: { code: "DUPLICATE_ROW", message: lineError.message, lineErrors: [lineError] },
    });
    codesSeen.add("DUPLICATE_ROW");
  });

  test("one bad line fails the whole group, and every bad line is listed in request order", () => {
    const lines = withIds([L("A", 5), L("B", 3, { fulfilled: 2 }), L("C", 2), L("D", 1, { cancelled: 1 })]);
    const result = planLineItemCancel(SUB_ORDER, lines, [
      { sku: "A", quantity: 2 },
      { sku: "B", quantity: 3 },
      { sku: "C", quantity: 0 },
      { sku: "X", quantity: 1 },
      { sku: "D", quantity: 1 },
      { sku: "A", quantity: 1 },
    ]);
    const lineErrors: LineError[] = [
      {
        sku: "B",
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: "SKU B: requested 3, cancellable 1: 2 fulfilled, 0 in processing, 0 already cancelled",
      },
      {
        sku: "C",
        code: "INVALID_QUANTITY",
        message: "SKU C: quantity must be a whole number of at least 1, got 0",
      },
      { sku: "X", code: "LINE_ITEM_NOT_FOUND", message: "SKU X is not on sub-order SO-1" },
      { sku: "D", code: "ALREADY_CANCELLED", message: "SKU D: all 1 unit already cancelled" },
      { sku: "A", code: "DUPLICATE_ROW", message: "SKU A appears more than once for SO-1" },
    ];
    expect(result).toEqual({
      ok: false,
      error: {
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: lineErrors.map((e) => e.message).join("; "),
        lineErrors,
      },
    });
  });

  test("a duplicate of a bad row is reported once as bad and once as duplicate", () => {
    const result = planLineItemCancel(SUB_ORDER, withIds([L("A", 5)]), [
      { sku: "A", quantity: -2 },
      { sku: "A", quantity: 1 },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("INVALID_QUANTITY");
    expect(result.error.lineErrors?.map((e) => e.code)).toEqual(["INVALID_QUANTITY", "DUPLICATE_ROW"]);
  });

  test.each<{ name: string; lines: LineSpec[] }>([
    { name: "an open sub-order", lines: [L("A", 5)] },
    { name: "no lines", lines: [] },
  ])("no requests -> INVALID_INPUT ($name)", ({ lines }) => {
    expect(planLineItemCancel(SUB_ORDER, withIds(lines), [])).toEqual({
      ok: false,
      error: { code: "INVALID_INPUT", message: "No line items given for sub-order SO-1" },
    });
    codesSeen.add("INVALID_INPUT");
  });
});

describe("a warehouse that cancels whole orders only (WMS)", () => {
  const AT_WMS = { channelName: "Shop", partialQuantities: true, wholeOrdersOnlyAt: "3PL warehouse" };

  test("a plan that takes everything still open goes ahead", () => {
    const lines = withIds([L("A", 2), L("B", 1, { fulfilled: 1 })]);
    const whole = planSubOrderCancel(SUB_ORDER, lines, "unfulfilled_only", AT_WMS);
    expect(whole).toEqual({
      ok: true,
      value: { lines: [{ lineItemId: 101, sku: "A", quantity: 2 }], units: 2 },
    });
    expect(planLineItemCancel(SUB_ORDER, lines, [{ sku: "A", quantity: 2 }], AT_WMS).ok).toBe(true);
  });

  test("a plan that leaves units open or in processing is refused before anything is reserved, naming them", () => {
    const lines = withIds([L("A", 2), L("B", 3)]);
    const part = planLineItemCancel(SUB_ORDER, lines, [{ sku: "A", quantity: 1 }], AT_WMS);
    expect(part).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: "WAREHOUSE_WHOLE_ORDERS_ONLY",
        message:
          "3PL warehouse cancels whole orders only: sub-order SO-1 would keep 4 units open or in processing; cancel all of it at once, or cancel in the warehouse",
      }),
    });
    const processing = withIds([L("A", 2), L("B", 1, { processing: 1 })]);
    const unfulfilled = planSubOrderCancel(SUB_ORDER, processing, "unfulfilled_only", AT_WMS);
    expect(unfulfilled.ok ? null : unfulfilled.error.code).toBe("WAREHOUSE_WHOLE_ORDERS_ONLY");
    // Elsewhere the same plans go ahead.
    expect(planLineItemCancel(SUB_ORDER, lines, [{ sku: "A", quantity: 1 }]).ok).toBe(true);
    expect(planSubOrderCancel(SUB_ORDER, processing, "unfulfilled_only").ok).toBe(true);
  });
});

describe("coverage of error codes", () => {
  // The codes the two planners can return. Each must be a stable code and be exercised above.
  const RULE_CODES: ErrorCode[] = [
    "INVALID_INPUT",
    "LINE_ITEM_NOT_FOUND",
    "ALREADY_CANCELLED",
    "CANCELLATION_IN_PROGRESS",
    "IN_PROCESSING",
    "PARTIALLY_FULFILLED",
    "NOTHING_CANCELLABLE",
    "QUANTITY_EXCEEDS_CANCELLABLE",
    "INVALID_QUANTITY",
    "DUPLICATE_ROW",
  ];

  test("every code the rules return is a stable code and is tested above", () => {
    expect(ERROR_CODES).toEqual(expect.arrayContaining(RULE_CODES));
    expect([...codesSeen].sort()).toEqual([...RULE_CODES].sort());
  });
});
