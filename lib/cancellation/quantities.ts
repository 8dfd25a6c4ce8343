import { fail, ok, type Result, units } from "./errors";

/** The quantities kept per line item; all integers >= 0. */
export type LineQuantities = {
  ordered: number;
  fulfilled: number;
  processing: number;
  cancelled: number;
  pendingCancel: number;
};

/** fulfilled + processing + cancelled + pendingCancel <= ordered, every quantity a whole number >= 0. */
export function holdsInvariant(q: LineQuantities): boolean {
  const all = [q.ordered, q.fulfilled, q.processing, q.cancelled, q.pendingCancel];
  return (
    all.every((n) => Number.isInteger(n) && n >= 0) &&
    q.fulfilled + q.processing + q.cancelled + q.pendingCancel <= q.ordered
  );
}

export function cancellableOf(q: LineQuantities): number {
  return q.ordered - q.fulfilled - q.processing - q.cancelled - q.pendingCancel;
}

/**
 * The state changes a line can go through. Each returns the new quantities or refuses;
 * none can produce a state that breaks the invariant. The database applies the same
 * changes with guarded UPDATEs, and its CHECK constraint refuses the rest.
 */
export type LineEvent =
  | { kind: "reserve"; quantity: number }
  | { kind: "confirm"; quantity: number }
  | { kind: "release"; quantity: number }
  | { kind: "releasePicklist"; quantity: number }
  | { kind: "ship"; quantity: number; fillOrKill: boolean };

export function applyLineEvent<Q extends LineQuantities>(line: Q, event: LineEvent): Result<Q> {
  const { quantity } = event;
  if (!Number.isInteger(quantity) || quantity < 1) {
    return fail("INVALID_QUANTITY", {
      problem: `Quantity must be a whole number of at least 1, got ${quantity}`,
    });
  }
  const cancellable = cancellableOf(line);
  switch (event.kind) {
    case "reserve":
      if (quantity > cancellable) {
        return fail("QUANTITY_EXCEEDS_CANCELLABLE", { breakdown: breakdown(line, quantity) });
      }
      return ok({ ...line, pendingCancel: line.pendingCancel + quantity });
    case "confirm":
      if (quantity > line.pendingCancel) {
        return fail("INVALID_QUANTITY", {
          problem: `Cannot confirm ${units(quantity)}: ${line.pendingCancel} reserved`,
        });
      }
      return ok({
        ...line,
        pendingCancel: line.pendingCancel - quantity,
        cancelled: line.cancelled + quantity,
      });
    case "release":
      if (quantity > line.pendingCancel) {
        return fail("INVALID_QUANTITY", {
          problem: `Cannot release ${units(quantity)}: ${line.pendingCancel} reserved`,
        });
      }
      return ok({ ...line, pendingCancel: line.pendingCancel - quantity });
    case "releasePicklist":
      if (quantity > cancellable) {
        return fail("INVALID_QUANTITY", {
          problem: `Cannot allocate ${units(quantity)}: ${cancellable} open`,
        });
      }
      return ok({ ...line, processing: line.processing + quantity });
    case "ship": {
      if (quantity > line.processing) {
        return fail("INVALID_QUANTITY", {
          problem: `Cannot ship ${units(quantity)}: ${line.processing} in processing`,
        });
      }
      const shipped = {
        ...line,
        processing: line.processing - quantity,
        fulfilled: line.fulfilled + quantity,
      };
      // Fill-or-kill: a partial shipment cancels what is still open on the line.
      return ok(
        event.fillOrKill ? { ...shipped, cancelled: shipped.cancelled + cancellableOf(shipped) } : shipped,
      );
    }
  }
}

/** `requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled` */
export function breakdown(q: LineQuantities, requested: number): string {
  const pending = q.pendingCancel > 0 ? `, ${q.pendingCancel} in a cancellation still in flight` : "";
  return (
    `requested ${requested}, cancellable ${cancellableOf(q)}: ${q.fulfilled} fulfilled, ` +
    `${q.processing} in processing, ${q.cancelled} already cancelled${pending}`
  );
}
