import { describe, expect, test } from "vitest";

import { parseCsvText } from "@/lib/csv/parse";
import { validateRows } from "@/lib/csv/validate";
import { formatterFor } from "@/lib/format/formatter";
import {
  applyItemChanges,
  applyPredictions,
  type BulkRow,
  countRows,
  lineResultOf,
  markStarted,
  packRows,
  recheck,
  rowsFromStoredItems,
  rowsFromValidation,
  unpackRows,
} from "./bulk-rows";
import { formatDuration, formatRowNumbers } from "./format";

const f = formatterFor("en-IN");

const REASONS = new Set(["OUT_OF_STOCK"]);

function subOrderRows(text: string): BulkRow[] {
  const parsed = parseCsvText(text, "sub_orders");
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const { items } = validateRows("sub_orders", parsed, {
    defaultReasonCode: "OUT_OF_STOCK",
    knownReasonCodes: REASONS,
  });
  return rowsFromValidation("sub_orders", items, parsed.columns);
}

function lineItemRows(text: string): BulkRow[] {
  const parsed = parseCsvText(text, "line_items");
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const { items } = validateRows("line_items", parsed, {
    defaultReasonCode: "OUT_OF_STOCK",
    knownReasonCodes: REASONS,
  });
  return rowsFromValidation("line_items", items, parsed.columns);
}

describe("packRows and unpackRows", () => {
  test("rows survive the trip from the worker exactly, plain, refused, empty-id and line-item rows alike", () => {
    const trip = (rows: BulkRow[]) => unpackRows(structuredClone(packRows(rows)));
    const subOrders = subOrderRows('Sub Order ID\nSO-1\n\nSO-2\nSO-1\n,\n""\n');
    expect(trip(subOrders)).toEqual(subOrders);
    const lineItems = lineItemRows("Sub Order ID,SKU ID,Quantity\nSO-1,A,1\nSO-2,B,x\nSO-1,C,2\n,D,1\n");
    expect(trip(lineItems)).toEqual(lineItems);
    expect(trip([])).toEqual([]);
    const onlyEmptyId = subOrderRows("Sub Order ID,Note\n,x\n");
    expect(onlyEmptyId.map((r) => r.subOrderId)).toEqual([""]);
    expect(trip(onlyEmptyId)).toEqual(onlyEmptyId);
  });

  test("only rows that differ from a fresh CHECKING row travel as objects", () => {
    const packed = packRows(subOrderRows("Sub Order ID\nSO-1\nSO-2\nSO-1\n"));
    expect(packed.extras.map(([index]) => index)).toEqual([2]);
    expect(Array.from(packed.rowNumbers)).toEqual([2, 3, 4]);
  });
});

describe("rowsFromValidation", () => {
  test("sub-order file: refused rows are ERROR with their message, the rest wait for the server", () => {
    const rows = subOrderRows('Sub Order ID\nSO-1\n\nSO-2\nSO-1\n,\n""\n');
    expect(rows.map((r) => [r.seq, r.subOrderId, r.rowNumbers, r.status, r.code])).toEqual([
      [1, "SO-1", [2], "CHECKING", null],
      [2, "SO-2", [4], "CHECKING", null],
      [3, "SO-1", [5], "ERROR", "DUPLICATE_ROW"],
      [4, "", [7], "ERROR", "INVALID_INPUT"],
    ]);
    expect(rows[2]?.message).toBe("Row 5, Sub Order ID: SO-1 is already on row 2");
    expect(rows[0]?.lines).toBeNull();
  });

  test("line-item file: one row per sub-order with its lines; a bad line fails the group", () => {
    const rows = lineItemRows("Sub Order ID,SKU ID,Quantity\nSO-1,A,1\nSO-2,B,x\nSO-1,C,2\nSO-2,D,1\n");
    expect(rows.map((r) => [r.subOrderId, r.rowNumbers, r.status])).toEqual([
      ["SO-1", [2, 4], "CHECKING"],
      ["SO-2", [3, 5], "ERROR"],
    ]);
    expect(rows[1]?.lines).toEqual([
      {
        rowNumber: 3,
        sku: "B",
        quantity: "x",
        error: {
          code: "INVALID_QUANTITY",
          message: 'Row 3, Quantity: "x" is not a whole number of at least 1',
        },
      },
      { rowNumber: 5, sku: "D", quantity: "1", error: null },
    ]);
    const group = rows[1] as BulkRow;
    expect(lineResultOf(group, group.lines?.[0] as never).tone).toBe("error");
    expect(lineResultOf(group, group.lines?.[1] as never).text).toMatch(
      /^Not cancelled: the sub-order's lines fail together/,
    );
  });
});

describe("applying the server's answers", () => {
  test("refusals at upload, dry run, start, results: new rows, the input untouched, idempotent", () => {
    const uploaded = subOrderRows("Sub Order ID\nSO-1\nSO-2\nSO-3\nSO-9\n");
    const refused = applyItemChanges(uploaded, [
      {
        seq: 4,
        status: "ERROR",
        errorCode: "SUB_ORDER_NOT_FOUND",
        errorMessage: "Sub-order SO-9 does not exist",
        units: null,
      },
    ]);
    expect(refused).not.toBe(uploaded);
    expect(uploaded[3]?.status).toBe("CHECKING");
    const predicted = applyPredictions(
      refused,
      [
        { seq: 1, outcome: "cancel", units: 3, valueMinor: 239_700, currency: "INR" },
        {
          seq: 2,
          outcome: "fail",
          code: "IN_PROCESSING",
          message: "SKU A: 2 units in processing",
          otherBatchId: "0123456789ab",
        },
        {
          seq: 3,
          outcome: "cancel",
          units: 1,
          valueMinor: 100,
          currency: "INR",
          otherBatchId: "abcdef012345",
        },
      ],
      f,
    );
    expect(predicted.map((r) => r.status)).toEqual(["READY", "WILL_FAIL", "READY", "ERROR"]);
    expect(predicted[3]).toBe(refused[3]); // an unchanged row is the same object
    expect(predicted[0]?.message).toBe("Will cancel 3 units (₹2,397.00)");
    expect(
      applyPredictions(
        refused,
        [{ seq: 1, outcome: "cancel", units: 1200, valueMinor: 239_700, currency: "INR" }],
        formatterFor("de-DE"),
      )[0]?.message,
    ).toBe("Will cancel 1.200 units (2.397,00\u00a0₹)");
    expect(predicted[1]?.message).toBe("SKU A: 2 units in processing (also in unfinished batch 01234567)");
    expect(predicted[2]?.otherBatchId).toBe("abcdef012345");

    const started = markStarted(predicted);
    expect(started.map((r) => r.status)).toEqual(["PENDING", "PENDING", "PENDING", "ERROR"]);
    const results = [
      { seq: 1, status: "SUCCESS" as const, errorCode: null, errorMessage: null, units: 3 },
      {
        seq: 2,
        status: "ERROR" as const,
        errorCode: "IN_PROCESSING",
        errorMessage: "SKU A: 2 units in processing",
        units: null,
      },
    ];
    const done = applyItemChanges(started, results);
    expect(applyItemChanges(done, results)).toBe(done); // nothing new: the same array
    expect(done[0]?.message).toBe("Cancelled 3 units");
    expect(countRows(done)).toMatchObject({ PENDING: 1, SUCCESS: 1, ERROR: 2, total: 4 });
  });

  test("a stored batch reopens with its statuses; waiting rows are PENDING once started", () => {
    const items = [
      {
        seq: 1,
        subOrderId: "SO-1",
        status: "SUCCESS" as const,
        errorCode: null,
        errorMessage: null,
        units: 2,
        rowNumbers: [2],
      },
      {
        seq: 2,
        subOrderId: "SO-2",
        status: "PENDING" as const,
        errorCode: null,
        errorMessage: null,
        units: null,
        rowNumbers: [3],
      },
    ];
    expect(rowsFromStoredItems(items, true).map((r) => r.status)).toEqual(["SUCCESS", "PENDING"]);
    expect(rowsFromStoredItems(items, false).map((r) => r.status)).toEqual(["SUCCESS", "CHECKING"]);
  });

  test("a row waiting for its warehouse is WAITING with the reason, then takes the final answer", () => {
    const rows = markStarted(subOrderRows("Sub Order ID\nSO-1\nSO-2\n"));
    const waiting = {
      seq: 1,
      status: "WAITING" as const,
      errorCode: "DOWNSTREAM_UNAVAILABLE",
      errorMessage: "Waiting for the warehouse (WMS did not answer: timed out after 3000 ms)",
      units: null,
    };
    const waits = applyItemChanges(rows, [waiting]);
    expect(waits[0]).toMatchObject({ status: "WAITING", code: "DOWNSTREAM_UNAVAILABLE" });
    expect(applyItemChanges(waits, [waiting])).toBe(waits);
    expect(countRows(waits)).toMatchObject({ WAITING: 1, PENDING: 1, ERROR: 0 });
    const done = applyItemChanges(waits, [
      { ...waiting, status: "SUCCESS", errorCode: null, errorMessage: null, units: 2 },
    ]);
    expect(done[0]).toMatchObject({ status: "SUCCESS", code: null, message: "Cancelled 2 units" });
  });

  test("a new reason asks the server again; the browser's own refusals stay", () => {
    const rows = applyPredictions(
      subOrderRows("Sub Order ID\nSO-1\nSO-1\n"),
      [{ seq: 1, outcome: "cancel", units: 3, valueMinor: 100, currency: "INR" }],
      f,
    );
    expect(recheck(rows).map((r) => [r.status, r.code])).toEqual([
      ["CHECKING", null],
      ["ERROR", "DUPLICATE_ROW"],
    ]);
  });

  test("a failed group's lines show their own SKU's clause of the message", () => {
    const rows = applyItemChanges(
      lineItemRows("Sub Order ID,SKU ID,Quantity\nSO-4,SNEAKER,5\nSO-4,MUG,1\n"),
      [
        {
          seq: 1,
          status: "ERROR",
          errorCode: "QUANTITY_EXCEEDS_CANCELLABLE",
          errorMessage:
            "SKU SNEAKER: requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
          units: null,
        },
      ],
    );
    const group = rows[0] as BulkRow;
    const [sneaker, mug] = group.lines ?? [];
    expect(lineResultOf(group, sneaker as never)).toEqual({
      tone: "error",
      text: "SKU SNEAKER: requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
    });
    expect(lineResultOf(group, mug as never).text).toMatch(/fail together/);
  });
});

describe("format", () => {
  test.each<[number[], string]>([
    [[2], "2"],
    [[2, 3, 4], "2–4"],
    [[2, 7], "2, 7"],
    [[2, 7, 9, 12], "2, 7 +2"],
  ])("row numbers %j -> %s", (rows, text) => {
    expect(formatRowNumbers(rows)).toBe(text);
  });
  test.each<[number, string]>([
    [4.4, "4 s"],
    [200, "3 min 20 s"],
    [3_900, "1 h 5 min"],
  ])("duration %d -> %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
