import { describe, expect, test } from "vitest";

import { formatRelative } from "./sync-format";

const NOW = "2026-11-03T14:05:00.000Z";
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

describe("formatRelative", () => {
  test.each([
    [0, "now"],
    [0.4, "now"],
    [-0.9, "now"],
    [1, "in 1 s"],
    [59, "in 59 s"],
    [60, "in 1 min"],
    [3599, "in 59 min"],
    [3600, "in 1 h"],
    [86_399, "in 23 h"],
    [86_400, "in 1 d"],
    [-5, "5 s ago"],
    [-125, "2 min ago"],
    [-7200, "2 h ago"],
    [-3 * 86_400, "3 d ago"],
  ])("%s s from now is %s", (seconds, text) => {
    expect(formatRelative(at(seconds), NOW)).toBe(text);
  });
});
