import { expect, test } from "vitest";
import { figure } from "./harness";

test("a ratio is the figure over its reference, whichever way is better", () => {
  const single = figure({
    name: "single cancel p95",
    value: 12.06,
    unit: "ms",
    reference: { name: "plain", value: 6.15, unit: "ms" },
    target: "<= 5x",
    met: true,
  });
  expect(single.ratio.toFixed(2)).toBe("1.96");
  const bulk = figure({
    name: "bulk",
    value: 5_600,
    unit: "rows/s",
    reference: { name: "floor", value: 28_000, unit: "rows/s" },
    target: ">= 0.4x",
    met: false,
  });
  expect(bulk.ratio.toFixed(2)).toBe("0.20");
});
