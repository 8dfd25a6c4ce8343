import { describe, expect, test } from "vitest";
import { cancellableOf, holdsInvariant } from "./quantities";

describe("smoke", () => {
  test("cancellable", () => {
    const q = { ordered: 5, fulfilled: 1, processing: 1, cancelled: 1, pendingCancel: 1 };
    expect(cancellableOf(q)).toBe(1);
    expect(holdsInvariant(q)).toBe(true);
  });
});
