/**
 * The bulk panel's state machine: one reducer with explicit transitions. Booleans the screen needs
 * (locked, busy, can start) are derived from the phase, never stored. The rows themselves live in a
 * row store (./row-store.ts), outside React state.
 */
import type { PreviewTotals, Progress, UploadResult } from "@/lib/batches/contracts";

import type { SubOrderMode } from "./types";

/**
 * idle: nothing chosen. reading: the browser parses the file. problem: the file cannot be used (no
 * table). checked: the table shows the browser's checks (a reason is needed, or the server refused).
 * uploading / previewing: the server stores or changes the draft, then runs the dry run. ready: Start
 * is possible. starting / running: the runner works. finished: the summary (still watching while
 * rows wait for their warehouse). loading: a stored batch named by the link is read.
 */
export type Phase =
  | "idle"
  | "reading"
  | "problem"
  | "checked"
  | "uploading"
  | "previewing"
  | "ready"
  | "starting"
  | "running"
  | "finished"
  | "loading";

export type FileInfo = {
  name: string;
  size: number;
  rows: number;
  items: number;
  invalidItems: number;
  parseMs?: number;
};

export type BulkState = {
  phase: Phase;
  /** Each file or settings change gets a number; answers to an older one are ignored. */
  attempt: number;
  file: File | null;
  fileInfo: FileInfo | null;
  /** The stored batch is a started run reopened from its link: its settings are fixed. */
  reopenedRun: boolean;
  problem: string | null;
  serverError: string | null;
  trouble: string | null;
  reasonCode: string;
  reasonError: string | null;
  mode: SubOrderMode;
  duplicateOf: UploadResult["duplicateOf"];
  confirmDuplicate: boolean;
  totals: PreviewTotals | null;
  progress: Progress | null;
};

export type BulkEvent =
  | { type: "fileChosen"; file: File }
  | { type: "fileRefused"; problem: string }
  | { type: "fileChecked"; info: FileInfo }
  | { type: "reasonChosen"; reasonCode: string }
  | { type: "modeChosen"; mode: SubOrderMode }
  | { type: "reasonMissing" }
  | { type: "uploading" }
  | { type: "uploaded"; duplicateOf: UploadResult["duplicateOf"] }
  | { type: "previewing" }
  | { type: "previewed"; totals: PreviewTotals }
  | { type: "serverRefused"; message: string }
  | { type: "duplicateConfirmed"; confirmed: boolean }
  | { type: "starting" }
  | { type: "started" }
  | { type: "progressed"; progress: Progress }
  | { type: "finished"; progress: Progress }
  | { type: "trouble"; message: string | null }
  | { type: "batchLoading" }
  | { type: "batchLoaded"; started: boolean; invalidItems: number }
  | { type: "reset" };

export function initialBulkState(
  batch: {
    fileName: string;
    totalRows: number;
    totalItems: number;
    reasonCode: string;
    mode: string;
    status: string;
  } | null,
): BulkState {
  return {
    phase: batch ? "loading" : "idle",
    attempt: 0,
    file: null,
    fileInfo: batch
      ? { name: batch.fileName, size: 0, rows: batch.totalRows, items: batch.totalItems, invalidItems: 0 }
      : null,
    reopenedRun: batch !== null && batch.status !== "draft",
    problem: null,
    serverError: null,
    trouble: null,
    reasonCode: batch?.reasonCode ?? "",
    reasonError: null,
    mode: batch?.mode === "unfulfilled_only" ? "unfulfilled_only" : "strict",
    duplicateOf: null,
    confirmDuplicate: false,
    totals: null,
    progress: null,
  };
}

export function bulkReducer(state: BulkState, event: BulkEvent): BulkState {
  switch (event.type) {
    case "fileChosen":
      return {
        ...initialBulkState(null),
        reasonCode: state.reasonCode,
        mode: state.mode,
        attempt: state.attempt + 1,
        phase: "reading",
        file: event.file,
        fileInfo: { name: event.file.name, size: event.file.size, rows: 0, items: 0, invalidItems: 0 },
      };
    case "fileRefused":
      return { ...state, phase: "problem", problem: event.problem };
    case "fileChecked":
      return { ...state, phase: "checked", fileInfo: event.info };
    case "reasonChosen":
      return { ...state, reasonCode: event.reasonCode, reasonError: null };
    case "modeChosen":
      return { ...state, mode: event.mode };
    case "reasonMissing":
      return { ...state, reasonError: "Choose a reason before starting." };
    case "uploading":
      return {
        ...state,
        attempt: state.attempt + 1,
        phase: "uploading",
        serverError: null,
        totals: null,
        duplicateOf: null,
        confirmDuplicate: false,
      };
    case "uploaded":
      return { ...state, duplicateOf: event.duplicateOf };
    case "previewing":
      return { ...state, phase: "previewing", serverError: null, totals: null };
    case "previewed":
      return { ...state, phase: "ready", totals: event.totals };
    case "serverRefused":
      return {
        ...state,
        phase: state.phase === "starting" ? "ready" : "checked",
        serverError: event.message,
      };
    case "duplicateConfirmed":
      return { ...state, confirmDuplicate: event.confirmed };
    case "starting":
      return { ...state, phase: "starting", serverError: null };
    case "started":
      return { ...state, phase: "running" };
    case "progressed":
      return { ...state, progress: event.progress, trouble: null };
    case "finished":
      return { ...state, phase: "finished", progress: event.progress, trouble: null };
    case "trouble":
      return { ...state, trouble: event.message };
    case "batchLoading":
      return { ...state, phase: "loading", attempt: state.attempt + 1 };
    case "batchLoaded":
      return {
        ...state,
        phase: event.started ? "running" : "previewing",
        fileInfo: state.fileInfo ? { ...state.fileInfo, invalidItems: event.invalidItems } : null,
      };
    case "reset":
      return {
        ...initialBulkState(null),
        reasonCode: state.reasonCode,
        mode: state.mode,
        attempt: state.attempt + 1,
      };
  }
}

/** What the screen derives from the state: never stored. */
export function bulkView(state: BulkState) {
  const { phase } = state;
  const underway = phase === "starting" || phase === "running" || phase === "finished";
  return {
    /** The run's settings are fixed (started, or a started run reopened from its link). */
    locked: underway || phase === "loading" || state.reopenedRun,
    /** A summary line replaces the settings once a run is under way. */
    showSummary: underway || (state.reopenedRun && phase !== "ready" && phase !== "previewing"),
    busy: phase === "reading" || phase === "uploading" || phase === "previewing" || phase === "loading",
    watching: phase === "running" || (phase === "finished" && (state.progress?.waiting ?? 0) > 0),
    canStart:
      phase === "ready" &&
      state.totals !== null &&
      state.totals.willCancel > 0 &&
      (state.duplicateOf === null || state.confirmDuplicate),
    /** The settings may change the draft (no run yet). */
    editable: !underway && phase !== "reading" && phase !== "problem" && phase !== "loading",
  };
}
