import { describe, expect, test } from "vitest";

import { bulkReducer, bulkView, initialBulkState } from "./bulk-panel-state";

const totals = {
  rows: 3,
  subOrders: 3,
  willCancel: 2,
  willFail: 1,
  invalid: 0,
  units: 4,
  values: [{ currency: "INR", valueMinor: 100 }],
  inOtherBatches: 0,
};
const file = new File(["Sub Order ID\nSO-1\n"], "f.csv", { type: "text/csv" });

describe("the bulk panel's transitions", () => {
  test("file, check, upload, dry run, start, run, finish: each step enables what it should", () => {
    let state = initialBulkState(null);
    expect(bulkView(state)).toMatchObject({ locked: false, busy: false, canStart: false });
    state = bulkReducer(state, { type: "reasonChosen", reasonCode: "OUT_OF_STOCK" });
    state = bulkReducer(state, { type: "fileChosen", file });
    expect(state).toMatchObject({ phase: "reading", attempt: 1, reasonCode: "OUT_OF_STOCK" });
    expect(bulkView(state).busy).toBe(true);
    state = bulkReducer(state, {
      type: "fileChecked",
      info: { name: "f.csv", size: 9, rows: 3, items: 3, invalidItems: 0 },
    });
    state = bulkReducer(state, { type: "uploading" });
    expect(state.attempt).toBe(2);
    state = bulkReducer(state, {
      type: "uploaded",
      duplicateOf: { id: "b", fileName: "f.csv", createdAt: "2026-12-01T00:00:00Z" },
    });
    state = bulkReducer(state, { type: "previewing" });
    state = bulkReducer(state, { type: "previewed", totals });
    // The same file ran yesterday: Start waits for the explicit confirmation.
    expect(bulkView(state).canStart).toBe(false);
    state = bulkReducer(state, { type: "duplicateConfirmed", confirmed: true });
    expect(bulkView(state)).toMatchObject({ canStart: true, editable: true });
    state = bulkReducer(state, { type: "starting" });
    expect(bulkView(state)).toMatchObject({ canStart: false, locked: true });
    // A refused start goes back to ready, with the message.
    expect(bulkReducer(state, { type: "serverRefused", message: "no" })).toMatchObject({
      phase: "ready",
      serverError: "no",
    });
    state = bulkReducer(state, { type: "started" });
    expect(bulkView(state)).toMatchObject({ watching: true, showSummary: true, editable: false });
    const progress = {
      status: "completed" as const,
      total: 3,
      pending: 0,
      waiting: 1,
      success: 1,
      error: 1,
      units: 2,
      rate: 1,
      etaSeconds: null,
      startedAt: null,
      finishedAt: null,
    };
    state = bulkReducer(state, { type: "finished", progress });
    // Rows still waiting for their warehouse keep the watch going after the run finished.
    expect(bulkView(state).watching).toBe(true);
    expect(
      bulkView(bulkReducer(state, { type: "finished", progress: { ...progress, waiting: 0 } })).watching,
    ).toBe(false);
  });

  test("a file the browser cannot read, a reset, and a started run reopened from its link", () => {
    const refused = bulkReducer(bulkReducer(initialBulkState(null), { type: "fileChosen", file }), {
      type: "fileRefused",
      problem: "not a CSV",
    });
    expect(refused).toMatchObject({ phase: "problem", problem: "not a CSV" });
    expect(bulkReducer(refused, { type: "reset" })).toMatchObject({
      phase: "idle",
      problem: null,
      file: null,
    });
    const reopened = initialBulkState({
      fileName: "f.csv",
      totalRows: 3,
      totalItems: 3,
      reasonCode: "OUT_OF_STOCK",
      mode: "unfulfilled_only",
      status: "completed",
    });
    expect(reopened).toMatchObject({ phase: "loading", mode: "unfulfilled_only", reopenedRun: true });
    expect(bulkView(reopened).locked).toBe(true);
  });
});
