import { expect, test } from "vitest";
import { manualAnswer, manualGate } from "./manual";

test("the manual connector agrees at once, without a remote", async () => {
  expect(await manualAnswer()).toEqual({ kind: "accepted" });
  expect(
    await manualGate({
      idempotencyKey: "k",
      subOrderId: "SO-1",
      warehouseExternalId: null,
      reasonCode: "R",
      reasonText: "Reason",
      lines: [],
    }),
  ).toEqual({ kind: "accepted" });
});
