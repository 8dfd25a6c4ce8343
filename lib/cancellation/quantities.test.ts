import { describe, expect, test } from "vitest";
import {
  applyLineEvent,
  breakdown,
  cancellableOf,
  holdsInvariant,
  type LineEvent,
  type LineQuantities,
} from "./quantities";

const Q = (ordered: number, rest: Partial<Omit<LineQuantities, "ordered">> = {}): LineQuantities => ({
  ordered,
  fulfilled: 0,
  processing: 0,
  cancelled: 0,
  pendingCancel: 0,
  ...rest,
});

describe("holdsInvariant", () => {
  test.each<{ name: string; q: LineQuantities; holds: boolean }>([
    { name: "untouched line", q: Q(5), holds: true },
    { name: "nothing ordered", q: Q(0), holds: true },
    {
      name: "every quantity used",
      q: Q(5, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 }),
      holds: true,
    },
    {
      name: "sum exactly ordered",
      q: Q(4, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 }),
      holds: true,
    },
    {
      name: "sum over ordered",
      q: Q(3, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 }),
      holds: false,
    },
    { name: "cancelled over ordered", q: Q(2, { cancelled: 3 }), holds: false },
    { name: "negative quantity", q: Q(5, { processing: -1 }), holds: false },
    { name: "negative ordered", q: Q(-1), holds: false },
    { name: "fraction", q: Q(5, { fulfilled: 0.5 }), holds: false },
    { name: "NaN", q: Q(5, { pendingCancel: Number.NaN }), holds: false },
    { name: "infinite ordered", q: Q(Number.POSITIVE_INFINITY), holds: false },
  ])("$name -> $holds", ({ q, holds }) => {
    expect(holdsInvariant(q)).toBe(holds);
  });
});

describe("cancellableOf", () => {
  test.each<{ q: LineQuantities; cancellable: number }>([
    { q: Q(5), cancellable: 5 },
    { q: Q(5, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 }), cancellable: 1 },
    { q: Q(5, { fulfilled: 3 }), cancellable: 2 },
    { q: Q(5, { cancelled: 5 }), cancellable: 0 },
    { q: Q(0), cancellable: 0 },
  ])("$q -> $cancellable", ({ q, cancellable }) => {
    expect(cancellableOf(q)).toBe(cancellable);
  });
});

describe("applyLineEvent", () => {
  test.each<{ name: string; line: LineQuantities; event: LineEvent; after: LineQuantities }>([
    {
      name: "reserve moves open units to pendingCancel",
      line: Q(5, { fulfilled: 1 }),
      event: { kind: "reserve", quantity: 2 },
      after: Q(5, { fulfilled: 1, pendingCancel: 2 }),
    },
    {
      name: "reserve every cancellable unit",
      line: Q(5, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 }),
      event: { kind: "reserve", quantity: 1 },
      after: Q(5, { fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 2 }),
    },
    {
      name: "confirm moves pendingCancel to cancelled",
      line: Q(5, { cancelled: 1, pendingCancel: 3 }),
      event: { kind: "confirm", quantity: 2 },
      after: Q(5, { cancelled: 3, pendingCancel: 1 }),
    },
    {
      name: "confirm every reserved unit",
      line: Q(5, { pendingCancel: 5 }),
      event: { kind: "confirm", quantity: 5 },
      after: Q(5, { cancelled: 5 }),
    },
    {
      name: "release gives reserved units back",
      line: Q(5, { pendingCancel: 3 }),
      event: { kind: "release", quantity: 3 },
      after: Q(5),
    },
    {
      name: "releasePicklist allocates open units",
      line: Q(5, { processing: 1, cancelled: 1 }),
      event: { kind: "releasePicklist", quantity: 3 },
      after: Q(5, { processing: 4, cancelled: 1 }),
    },
    {
      name: "ship moves processing to fulfilled",
      line: Q(5, { processing: 3 }),
      event: { kind: "ship", quantity: 2, fillOrKill: false },
      after: Q(5, { processing: 1, fulfilled: 2 }),
    },
    {
      name: "a partial shipment without fill-or-kill leaves open units open",
      line: Q(10, { processing: 3 }),
      event: { kind: "ship", quantity: 3, fillOrKill: false },
      after: Q(10, { fulfilled: 3 }),
    },
  ])("$name", ({ line, event, after }) => {
    expect(applyLineEvent(line, event)).toEqual({ ok: true, value: after });
  });

  describe("fill-or-kill", () => {
    test.each<{ name: string; line: LineQuantities; quantity: number; after: LineQuantities }>([
      {
        name: "ordered 10, ship 3: the other 7 are cancelled",
        line: Q(10, { processing: 3 }),
        quantity: 3,
        after: Q(10, { fulfilled: 3, cancelled: 7 }),
      },
      {
        name: "units still allocated stay allocated; only the cancellable rest is cancelled",
        line: Q(10, { processing: 5 }),
        quantity: 3,
        after: Q(10, { fulfilled: 3, processing: 2, cancelled: 5 }),
      },
      {
        name: "units in a cancellation in flight are left to it",
        line: Q(10, { processing: 3, pendingCancel: 2 }),
        quantity: 3,
        after: Q(10, { fulfilled: 3, pendingCancel: 2, cancelled: 5 }),
      },
      {
        name: "adds to earlier cancellations and shipments",
        line: Q(10, { fulfilled: 1, processing: 3, cancelled: 2 }),
        quantity: 2,
        after: Q(10, { fulfilled: 3, processing: 1, cancelled: 6 }),
      },
      {
        name: "a complete shipment cancels nothing",
        line: Q(3, { processing: 3 }),
        quantity: 3,
        after: Q(3, { fulfilled: 3 }),
      },
      {
        name: "a complete shipment of the rest after cancellations cancels nothing more",
        line: Q(5, { processing: 3, cancelled: 2 }),
        quantity: 3,
        after: Q(5, { fulfilled: 3, cancelled: 2 }),
      },
    ])("$name", ({ line, quantity, after }) => {
      const result = applyLineEvent(line, { kind: "ship", quantity, fillOrKill: true });
      expect(result).toEqual({ ok: true, value: after });
      if (result.ok) expect(holdsInvariant(result.value)).toBe(true);
    });
  });

  describe("refusals", () => {
    const KINDS = ["reserve", "confirm", "release", "releasePicklist", "ship"] as const;
    const event = (kind: (typeof KINDS)[number], quantity: number): LineEvent =>
      kind === "ship" ? { kind, quantity, fillOrKill: true } : { kind, quantity };

    test.each(
      KINDS.flatMap((kind) =>
        [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY].map((quantity) => ({ kind, quantity })),
      ),
    )("$kind of $quantity -> INVALID_QUANTITY", ({ kind, quantity }) => {
      // A line where every event of 1 unit would be allowed.
      const line = Q(10, { processing: 2, pendingCancel: 2 });
      expect(applyLineEvent(line, event(kind, quantity))).toEqual({
        ok: false,
        error: {
          code: "INVALID_QUANTITY",
          message: `Quantity must be a whole number of at least 1, got ${quantity}`,
        },
      });
    });

    test.each<{ name: string; line: LineQuantities; event: LineEvent; code: string; message: string }>([
      {
        name: "reserve more than cancellable",
        line: Q(5, { fulfilled: 3 }),
        event: { kind: "reserve", quantity: 5 },
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: "requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
      },
      {
        name: "reserve units already reserved",
        line: Q(3, { pendingCancel: 3 }),
        event: { kind: "reserve", quantity: 1 },
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message:
          "requested 1, cancellable 0: 0 fulfilled, 0 in processing, 0 already cancelled, " +
          "3 in a cancellation still in flight",
      },
      {
        name: "confirm more than reserved",
        line: Q(5, { pendingCancel: 1 }),
        event: { kind: "confirm", quantity: 2 },
        code: "INVALID_QUANTITY",
        message: "Cannot confirm 2 units: 1 reserved",
      },
      {
        name: "confirm with nothing reserved",
        line: Q(5),
        event: { kind: "confirm", quantity: 1 },
        code: "INVALID_QUANTITY",
        message: "Cannot confirm 1 unit: 0 reserved",
      },
      {
        name: "release more than reserved",
        line: Q(5, { pendingCancel: 2, cancelled: 3 }),
        event: { kind: "release", quantity: 3 },
        code: "INVALID_QUANTITY",
        message: "Cannot release 3 units: 2 reserved",
      },
      {
        name: "allocate more than is open",
        line: Q(5, { fulfilled: 1, cancelled: 1, pendingCancel: 1 }),
        event: { kind: "releasePicklist", quantity: 3 },
        code: "INVALID_QUANTITY",
        message: "Cannot allocate 3 units: 2 open",
      },
      {
        name: "allocate units reserved for a cancellation",
        line: Q(2, { pendingCancel: 2 }),
        event: { kind: "releasePicklist", quantity: 1 },
        code: "INVALID_QUANTITY",
        message: "Cannot allocate 1 unit: 0 open",
      },
      {
        name: "ship more than in processing",
        line: Q(5, { processing: 1 }),
        event: { kind: "ship", quantity: 2, fillOrKill: false },
        code: "INVALID_QUANTITY",
        message: "Cannot ship 2 units: 1 in processing",
      },
      {
        name: "ship (fill-or-kill) with nothing allocated",
        line: Q(5),
        event: { kind: "ship", quantity: 1, fillOrKill: true },
        code: "INVALID_QUANTITY",
        message: "Cannot ship 1 unit: 0 in processing",
      },
    ])("$name -> $code", ({ line, event, code, message }) => {
      const before = structuredClone(line);
      expect(applyLineEvent(line, event)).toEqual({ ok: false, error: { code, message } });
      expect(line).toEqual(before);
    });
  });

  test("keeps the other fields of the line and does not modify it", () => {
    const line = { id: 7, sku: "A", ...Q(5, { processing: 2 }) };
    const before = structuredClone(line);
    const result = applyLineEvent(line, { kind: "ship", quantity: 1, fillOrKill: true });
    expect(result).toEqual({
      ok: true,
      value: { id: 7, sku: "A", ...Q(5, { fulfilled: 1, processing: 1, cancelled: 3 }) },
    });
    expect(line).toEqual(before);
  });
});

describe("breakdown", () => {
  test.each<{ q: LineQuantities; requested: number; text: string }>([
    {
      q: Q(5, { fulfilled: 3 }),
      requested: 5,
      text: "requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
    },
    {
      q: Q(10, { fulfilled: 1, processing: 2, cancelled: 3 }),
      requested: 7,
      text: "requested 7, cancellable 4: 1 fulfilled, 2 in processing, 3 already cancelled",
    },
    {
      q: Q(10, { fulfilled: 1, processing: 2, cancelled: 3, pendingCancel: 4 }),
      requested: 1,
      text:
        "requested 1, cancellable 0: 1 fulfilled, 2 in processing, 3 already cancelled, " +
        "4 in a cancellation still in flight",
    },
    {
      q: Q(1, { cancelled: 1 }),
      requested: 1,
      text: "requested 1, cancellable 0: 0 fulfilled, 0 in processing, 1 already cancelled",
    },
  ])("$text", ({ q, requested, text }) => {
    expect(breakdown(q, requested)).toBe(text);
  });
});
