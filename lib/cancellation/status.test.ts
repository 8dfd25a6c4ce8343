import { describe, expect, test } from "vitest";
import type { LineQuantities } from "./quantities";
import {
  deriveSubOrderStatus,
  SUB_ORDER_STATUS_LABELS,
  SUB_ORDER_STATUSES,
  type SubOrderStatus,
} from "./status";

const L = (ordered: number, rest: Partial<Omit<LineQuantities, "ordered">> = {}): LineQuantities => ({
  ordered,
  fulfilled: 0,
  processing: 0,
  cancelled: 0,
  pendingCancel: 0,
  ...rest,
});

type Case = { name: string; lines: LineQuantities[]; status: SubOrderStatus };

const CASES: Case[] = [
  // open
  { name: "one untouched line", lines: [L(3)], status: "open" },
  { name: "several untouched lines", lines: [L(3), L(1), L(9)], status: "open" },
  {
    name: "a cancellation in flight is not a cancellation yet",
    lines: [L(3, { pendingCancel: 2 })],
    status: "open",
  },
  {
    name: "even one reserving every unit",
    lines: [L(3, { pendingCancel: 3 }), L(1, { pendingCancel: 1 })],
    status: "open",
  },
  { name: "no lines", lines: [], status: "open" },
  { name: "only lines with nothing ordered", lines: [L(0), L(0)], status: "open" },

  // partially cancelled
  { name: "some units of a line cancelled", lines: [L(3, { cancelled: 1 })], status: "partially_cancelled" },
  {
    name: "one line cancelled, another open",
    lines: [L(2, { cancelled: 2 }), L(4)],
    status: "partially_cancelled",
  },
  {
    name: "cancelled, and the rest in flight",
    lines: [L(3, { cancelled: 1, pendingCancel: 2 })],
    status: "partially_cancelled",
  },

  // cancelled
  { name: "every unit of one line", lines: [L(3, { cancelled: 3 })], status: "cancelled" },
  {
    name: "every unit of every line",
    lines: [L(3, { cancelled: 3 }), L(1, { cancelled: 1 })],
    status: "cancelled",
  },
  {
    name: "every line, plus one with nothing ordered",
    lines: [L(2, { cancelled: 2 }), L(0)],
    status: "cancelled",
  },

  // in processing
  { name: "a unit allocated", lines: [L(3, { processing: 1 })], status: "in_processing" },
  {
    name: "every unit allocated",
    lines: [L(3, { processing: 3 }), L(2, { processing: 2 })],
    status: "in_processing",
  },
  {
    name: "allocated and cancelled (processing wins over partially cancelled)",
    lines: [L(3, { processing: 1, cancelled: 2 }), L(1, { cancelled: 1 })],
    status: "in_processing",
  },
  {
    name: "allocated and in flight",
    lines: [L(4, { processing: 2, pendingCancel: 2 })],
    status: "in_processing",
  },

  // partially shipped
  { name: "a unit shipped, others open", lines: [L(3, { fulfilled: 1 })], status: "partially_shipped" },
  {
    name: "one line shipped, another open",
    lines: [L(2, { fulfilled: 2 }), L(2)],
    status: "partially_shipped",
  },
  {
    name: "shipped and the rest in processing",
    lines: [L(2, { fulfilled: 1, processing: 1 })],
    status: "partially_shipped",
  },
  {
    name: "shipped and the rest in a cancellation in flight (not cancelled yet)",
    lines: [L(4, { fulfilled: 2, pendingCancel: 2 })],
    status: "partially_shipped",
  },
  {
    name: "shipped, cancelled and open",
    lines: [L(5, { fulfilled: 2, cancelled: 2 })],
    status: "partially_shipped",
  },

  // shipped
  { name: "every unit shipped", lines: [L(3, { fulfilled: 3 }), L(1, { fulfilled: 1 })], status: "shipped" },
  {
    name: "a mix of cancelled and shipped lines",
    lines: [L(2, { cancelled: 2 }), L(3, { fulfilled: 3 })],
    status: "shipped",
  },
  {
    name: "a line partly shipped and the rest cancelled (fill-or-kill)",
    lines: [L(10, { fulfilled: 3, cancelled: 7 })],
    status: "shipped",
  },
  {
    name: "shipped lines and a line with nothing ordered",
    lines: [L(2, { fulfilled: 2 }), L(0)],
    status: "shipped",
  },
];

describe("deriveSubOrderStatus", () => {
  test.each(CASES)("$status: $name", ({ lines, status }) => {
    expect(deriveSubOrderStatus(lines)).toBe(status);
  });

  test("every status is reachable and covered by a case", () => {
    expect(new Set(CASES.map((c) => c.status))).toEqual(new Set(SUB_ORDER_STATUSES));
  });

  test("every status has a label", () => {
    expect(Object.keys(SUB_ORDER_STATUS_LABELS).sort()).toEqual([...SUB_ORDER_STATUSES].sort());
  });

  test("the order of lines does not matter", () => {
    for (const { lines, status } of CASES) {
      expect(deriveSubOrderStatus([...lines].reverse())).toBe(status);
    }
  });
});
