"use client";

import { useTable } from "@tanstack/react-table";
import { useCallback, useEffect, useId, useMemo, useReducer, useState } from "react";
import { toast } from "sonner";

import { dataTableFeatures } from "@/components/data-table/features";
import { VirtualDataTable } from "@/components/data-table/virtual-data-table";
import { useFormatter } from "@/components/format/locale-provider";
import type { BatchView, ItemsResponse } from "@/lib/batches/contracts";
import type { CsvKind } from "@/lib/csv/templates";
import { cn } from "@/lib/utils";
import { BatchProgress } from "./batch-progress";
import { BulkNotices, BulkSettings, FileBar, KIND_TEXT, RowsHeader } from "./bulk-panel-parts";
import { bulkReducer, bulkView, initialBulkState } from "./bulk-panel-state";
import {
  applyItemChanges,
  applyPredictions,
  type BulkRow,
  countRows,
  markStarted,
  recheck,
  rowsFromStoredItems,
  unpackRows,
} from "./bulk-rows";
import { bulkRowsColumns } from "./bulk-rows-columns";
import { checkUpload } from "./check-upload";
import { LineItemsDialog } from "./line-items-dialog";
import { PreviewSummary } from "./preview-summary";
import { ResultBanner } from "./result-banner";
import { type RowStore, useRowStore } from "./row-store";
import type { BulkCancelActions, ReasonOption, SubOrderMode } from "./types";
import { uploadCsvFile } from "./upload-csv-file";
import { UploadDropzone } from "./upload-dropzone";
import { fetchProgress, useBatchWatch } from "./use-batch-watch";

const ITEMS_PAGE = 20_000;

type BulkCancelPanelProps = {
  kind: CsvKind;
  reasons: readonly ReasonOption[];
  actions: BulkCancelActions;
  /** A stored batch the link named: the panel picks up where it stands. */
  initialBatch: BatchView | null;
  /** The batch shown changed: it goes into the URL, the one place that keeps it. */
  onBatchChange: (batchId: string | null) => void;
};

/**
 * Bulk cancellation from a CSV file: upload, check, dry run, start, watch, and the error CSV. The
 * flow is a reducer (./bulk-panel-state.ts); the rows live in a row store; the batch id is in the URL.
 */
export function BulkCancelPanel({
  kind,
  reasons,
  actions,
  initialBatch,
  onBatchChange,
}: BulkCancelPanelProps) {
  const text = KIND_TEXT[kind];
  const id = useId();
  const formatter = useFormatter();
  const [state, dispatch] = useReducer(bulkReducer, initialBatch, initialBulkState);
  const [store, rows] = useRowStore();
  const [batchId, setBatchId] = useState<string | null>(initialBatch?.id ?? null);
  const [openRow, setOpenRow] = useState<BulkRow | null>(null);
  const view = bulkView(state);
  // Answers to an older attempt (a newer file or setting since) are ignored.
  const current = useCurrentAttempt(state.attempt);

  const showBatch = useCallback(
    (next: string | null) => {
      setBatchId(next);
      onBatchChange(next);
    },
    [onBatchChange],
  );

  /** The dry run of a stored draft: every waiting row says what Start would do. */
  const runPreview = useCallback(
    async (draftId: string, attempt: number) => {
      dispatch({ type: "previewing" });
      // Items the server refused at upload (unknown sub-orders) are already finished: show them.
      const [, preview] = await Promise.all([
        loadFinished(draftId, store).catch(() => undefined),
        actions.preview({ batchId: draftId }),
      ]);
      if (!current(attempt)) return;
      if (!preview.ok) {
        dispatch({ type: "serverRefused", message: preview.message });
        return;
      }
      store.update((r) => applyPredictions(r, preview.data.predictions, formatter));
      dispatch({ type: "previewed", totals: preview.data.totals });
    },
    [actions, current, store, formatter],
  );

  /** The server checks the file again and stores it as a draft batch, then the dry run. */
  const upload = useCallback(
    async (file: File, reasonCode: string, mode: SubOrderMode, attempt: number) => {
      dispatch({ type: "uploading" });
      const result = await uploadCsvFile(file, {
        kind,
        mode: kind === "line_items" ? "line_items" : mode,
        reasonCode,
      });
      if (!current(attempt + 1)) return;
      if (!result.ok) {
        if (result.code === "INVALID_FILE") {
          store.set([]);
          dispatch({ type: "fileRefused", problem: result.message });
        } else dispatch({ type: "serverRefused", message: result.message });
        return;
      }
      showBatch(result.data.batchId);
      dispatch({ type: "uploaded", duplicateOf: result.data.duplicateOf });
      await runPreview(result.data.batchId, attempt + 1);
    },
    [current, kind, runPreview, showBatch, store],
  );

  const onFile = useCallback(
    async (file: File) => {
      const attempt = state.attempt + 1;
      showBatch(null);
      store.set([]);
      dispatch({ type: "fileChosen", file });
      const checked = await checkUpload(file, kind, {
        defaultReasonCode: state.reasonCode,
        knownReasonCodes: reasons.map((r) => r.code),
      });
      if (!current(attempt)) return;
      if (!checked.ok) {
        dispatch({ type: "fileRefused", problem: checked.problem.message });
        return;
      }
      store.set(unpackRows(checked.rows));
      dispatch({
        type: "fileChecked",
        info: {
          name: file.name,
          size: file.size,
          rows: checked.counts.rows,
          items: checked.counts.items,
          invalidItems: checked.counts.invalidItems,
          parseMs: checked.parseMs,
        },
      });
      if (state.reasonCode) await upload(file, state.reasonCode, state.mode, attempt);
    },
    [current, kind, reasons, showBatch, state.attempt, state.mode, state.reasonCode, store, upload],
  );

  /**
   * A different reason or mode changes what the draft would do: the stored draft changes in place
   * (the file is not sent again) and the dry run runs again. Without a draft yet (no reason was
   * chosen when the file was read), the file is stored now.
   */
  const onSettings = (next: { reasonCode?: string; mode?: SubOrderMode }) => {
    if (next.reasonCode !== undefined) dispatch({ type: "reasonChosen", reasonCode: next.reasonCode });
    if (next.mode !== undefined) dispatch({ type: "modeChosen", mode: next.mode });
    const reasonCode = next.reasonCode ?? state.reasonCode;
    const mode = next.mode ?? state.mode;
    if (!view.editable || !reasonCode || store.getSnapshot().length === 0) return;
    store.update(recheck);
    if (!batchId) {
      if (state.file) void upload(state.file, reasonCode, mode, state.attempt);
      return;
    }
    const attempt = state.attempt + 1;
    dispatch({ type: "uploading" });
    void actions
      .updateDraft({ batchId, reasonCode, mode: kind === "line_items" ? undefined : mode })
      .then(async (changed) => {
        if (!current(attempt)) return;
        if (!changed.ok) dispatch({ type: "serverRefused", message: changed.message });
        else await runPreview(batchId, attempt);
      });
  };

  // A stored batch named by the link: load its rows, then watch it or run its dry run.
  useEffect(() => {
    if (!initialBatch) return;
    const started = initialBatch.status !== "draft";
    dispatch({ type: "batchLoading" });
    (async () => {
      const items: ItemsResponse["items"] = [];
      for (let offset = 0; ; offset += ITEMS_PAGE) {
        const response = await fetch(
          `/api/batches/${initialBatch.id}/items?offset=${offset}&limit=${ITEMS_PAGE}`,
          {
            cache: "no-store",
          },
        );
        if (!response.ok) throw new Error(`The batch could not be loaded (HTTP ${response.status}).`);
        const page = (await response.json()) as ItemsResponse;
        items.push(...page.items);
        if (page.items.length < ITEMS_PAGE) break;
      }
      const loaded = rowsFromStoredItems(items, started);
      store.set(loaded);
      dispatch({ type: "batchLoaded", started, invalidItems: countRows(loaded).ERROR });
      if (!started) await runPreview(initialBatch.id, 1);
    })().catch((error: unknown) => {
      dispatch({ type: "serverRefused", message: error instanceof Error ? error.message : String(error) });
    });
  }, [initialBatch, runPreview, store]);

  useBatchWatch({
    batchId,
    active: view.watching,
    store,
    onProgress: (progress) => dispatch({ type: "progressed", progress }),
    onFinished: (progress) => dispatch({ type: "finished", progress }),
    onTrouble: (message) => dispatch({ type: "trouble", message }),
  });

  const onStart = async () => {
    if (!batchId) return;
    if (!state.reasonCode) {
      dispatch({ type: "reasonMissing" });
      return;
    }
    dispatch({ type: "starting" });
    const result = await actions.start({ batchId, confirmDuplicate: state.confirmDuplicate });
    if (!result.ok) {
      toast.error(result.message);
      dispatch({ type: "serverRefused", message: result.message });
      return;
    }
    if (result.data.alreadyStarted) toast.info("This batch was already started; showing its progress.");
    else toast.success("Cancellation started. You can close this page: the run goes on.");
    store.update(markStarted);
    dispatch({ type: "started" });
  };

  const onReset = () => {
    showBatch(null);
    store.set([]);
    dispatch({ type: "reset" });
  };

  const onOpenLines = useCallback((row: BulkRow) => setOpenRow(row), []);
  const columns = useMemo(() => bulkRowsColumns(kind, onOpenLines), [kind, onOpenLines]);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows as BulkRow[],
    getRowId: (row) => String(row.seq),
  });
  const counts = useMemo(() => countRows(rows), [rows]);
  const { phase } = state;
  const hasTable = rows.length > 0 && phase !== "problem";

  return (
    <div className="flex flex-col gap-5">
      <section
        aria-label={kind === "sub_orders" ? "Sub-order file" : "Line-item file"}
        className={cn(
          "flex flex-col gap-4 rounded-xl border bg-card shadow-xs",
          view.showSummary ? "px-5 py-3" : "p-5",
        )}
      >
        {view.showSummary ? null : (
          <BulkSettings
            id={id}
            kind={kind}
            reasons={reasons}
            state={state}
            locked={view.locked}
            onReason={(reasonCode) => onSettings({ reasonCode })}
            onMode={(mode) => onSettings({ mode })}
          />
        )}
        {phase === "idle" || phase === "problem" ? (
          <UploadDropzone
            label={text.uploadLabel}
            onFile={onFile}
            errorId={state.problem ? `${id}-problem` : undefined}
          />
        ) : (
          <FileBar
            kind={kind}
            state={state}
            batchId={batchId}
            reasons={reasons}
            compact={view.showSummary}
            onReset={onReset}
          />
        )}
      </section>

      <div aria-live="polite" className="flex flex-col gap-3 empty:hidden">
        <BulkNotices id={id} state={state} busy={view.busy} dispatch={dispatch} />
        {phase === "finished" && batchId && state.progress ? (
          <ResultBanner
            batchId={batchId}
            succeeded={state.progress.success}
            failed={state.progress.error}
            waiting={state.progress.waiting}
            noun={text.noun}
          />
        ) : null}
      </div>

      {state.totals && (phase === "ready" || phase === "previewing" || phase === "uploading") ? (
        <PreviewSummary totals={state.totals} kind={kind} />
      ) : null}
      {state.progress && (phase === "running" || phase === "finished") ? (
        <BatchProgress progress={state.progress} noun={text.rateNoun} compact={phase === "finished"} />
      ) : null}

      {hasTable ? (
        <section aria-label="Rows" className="flex flex-col gap-3">
          <RowsHeader
            id={id}
            kind={kind}
            counts={counts}
            state={state}
            canStart={view.canStart}
            onStart={() => void onStart()}
          />
          <VirtualDataTable
            table={table}
            label={text.tableLabel}
            height={kind === "sub_orders" ? 520 : 480}
            rowAttributes={(row) => ({
              "data-status": row.original.status,
              "data-seq": String(row.original.seq),
            })}
          />
        </section>
      ) : null}

      {kind === "line_items" ? (
        <LineItemsDialog
          row={openRow}
          batchId={batchId}
          onOpenChange={(open) => {
            if (!open) setOpenRow(null);
          }}
        />
      ) : null}
    </div>
  );
}

/** Whether an answer belongs to the newest attempt (a ref-backed check, safe in async callbacks). */
function useCurrentAttempt(attempt: number) {
  const [ref] = useState(() => ({ attempt }));
  ref.attempt = attempt;
  return useCallback((of: number) => of === ref.attempt, [ref]);
}

/** Marks the items a stored batch has already finished (refused at upload). */
async function loadFinished(batchId: string, store: RowStore): Promise<void> {
  let after = "0";
  for (;;) {
    const page = await fetchProgress(batchId, `after=${after}`);
    store.update((rows) => applyItemChanges(rows, page.changes));
    if (!page.more || page.cursor === null) return;
    after = page.cursor;
  }
}
