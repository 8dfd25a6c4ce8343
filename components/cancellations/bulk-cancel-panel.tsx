"use client";

import { useTable } from "@tanstack/react-table";
import { CircleAlert, Download, FileText, Loader2, Play, RotateCcw, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useId, useMemo, useRef, useState, useTransition } from "react";
import { toast } from "sonner";

import { dataTableFeatures } from "@/components/data-table/features";
import { VirtualDataTable } from "@/components/data-table/virtual-data-table";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import type {
  BatchView,
  ItemsResponse,
  PreviewTotals,
  Progress as ProgressView,
  UploadResult,
} from "@/lib/batches/contracts";
import type { CsvKind } from "@/lib/csv/templates";
import { cn } from "@/lib/utils";

import { BatchProgress } from "./batch-progress";
import {
  applyItemChanges,
  applyPredictions,
  type BulkRow,
  countRows,
  markStarted,
  rowsFromStoredItems,
  rowsFromValidation,
} from "./bulk-rows";
import { bulkRowsColumns } from "./bulk-rows-columns";
import { checkUpload } from "./check-upload";
import { formatCount, formatDateTime, plural, shortId } from "./format";
import { LineItemsDialog } from "./line-items-dialog";
import { PreviewSummary } from "./preview-summary";
import { ReasonSelect } from "./reason-select";
import { ResultBanner } from "./result-banner";
import type { BulkCancelActions, ReasonOption, SubOrderMode } from "./types";
import { uploadCsvFile } from "./upload-csv-file";
import { UploadDropzone } from "./upload-dropzone";
import { fetchProgress, useBatchWatch } from "./use-batch-watch";

/**
 * idle: nothing chosen. reading: the browser parses the file. problem: the file cannot be used (no
 * table). checked: the table shows the browser's checks; waiting for a reason. uploading /
 * previewing: the server stores the draft, then runs the dry run. ready: Start is possible.
 * starting / running: the runner works. finished: the summary.
 */
type Phase =
  | "idle"
  | "reading"
  | "problem"
  | "checked"
  | "uploading"
  | "previewing"
  | "ready"
  | "running"
  | "finished"
  | "loading";

type FileInfo = {
  name: string;
  size: number;
  rows: number;
  items: number;
  invalidItems: number;
  parseMs?: number;
};

const ITEMS_PAGE = 20_000;

const KIND_TEXT = {
  sub_orders: {
    uploadLabel: "Upload sub-order CSV",
    template: "Sub Order ID (Reason Code optional)",
    noun: "row",
    rateNoun: "Row",
    tableLabel: "Uploaded sub-orders",
  },
  line_items: {
    uploadLabel: "Upload line-item CSV",
    template: "Sub Order ID, SKU ID, Quantity (Reason Code optional)",
    noun: "sub-order",
    rateNoun: "Sub-order",
    tableLabel: "Uploaded sub-orders and their lines",
  },
} as const;

type BulkCancelPanelProps = {
  kind: CsvKind;
  reasons: readonly ReasonOption[];
  actions: BulkCancelActions;
  /** A stored batch to show (the URL named it): the screen picks up where it stands. */
  initialBatch: BatchView | null;
  /** The batch shown changed: the page keeps it in the URL. */
  onBatchChange: (batchId: string | null) => void;
};

/** Bulk cancellation from a CSV file: upload, check, dry run, start, watch, and the error CSV. */
export function BulkCancelPanel({
  kind,
  reasons,
  actions,
  initialBatch,
  onBatchChange,
}: BulkCancelPanelProps) {
  const text = KIND_TEXT[kind];
  const ids = useId();
  const problemId = `${ids}-problem`;

  const [phase, setPhase] = useState<Phase>(initialBatch ? "loading" : "idle");
  const [rows, setRows] = useState<BulkRow[]>([]);
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  const [file, setFile] = useState<File | null>(null);
  const [fileInfo, setFileInfo] = useState<FileInfo | null>(
    initialBatch
      ? {
          name: initialBatch.fileName,
          size: 0,
          rows: initialBatch.totalRows,
          items: initialBatch.totalItems,
          invalidItems: 0,
        }
      : null,
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState(initialBatch?.reasonCode ?? "");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [mode, setMode] = useState<SubOrderMode>(
    initialBatch?.mode === "unfulfilled_only" ? "unfulfilled_only" : "strict",
  );
  const [batchId, setBatchId] = useState<string | null>(initialBatch?.id ?? null);
  const [duplicateOf, setDuplicateOf] = useState<UploadResult["duplicateOf"]>(null);
  const [confirmDuplicate, setConfirmDuplicate] = useState(false);
  const [totals, setTotals] = useState<PreviewTotals | null>(null);
  const [progress, setProgress] = useState<ProgressView | null>(null);
  const [trouble, setTrouble] = useState<string | null>(null);
  const [openRow, setOpenRow] = useState<BulkRow | null>(null);
  const [isStarting, startTransition] = useTransition();
  /** Each upload gets a number; answers to an older one are ignored. */
  const attempt = useRef(0);

  const selectBatch = useCallback(
    (id: string | null) => {
      setBatchId(id);
      onBatchChange(id);
    },
    [onBatchChange],
  );

  const reset = useCallback(() => {
    attempt.current++;
    setPhase("idle");
    setRows([]);
    setFile(null);
    setFileInfo(null);
    setProblem(null);
    setServerError(null);
    setDuplicateOf(null);
    setConfirmDuplicate(false);
    setTotals(null);
    setProgress(null);
    setTrouble(null);
    selectBatch(null);
  }, [selectBatch]);

  /** The dry run of a stored draft: marks every waiting row with what Start would do. */
  const runPreview = useCallback(
    async (id: string, target: BulkRow[], token: number) => {
      setPhase("previewing");
      // Items the server refused at upload (unknown sub-orders) are already finished: show them.
      const [refused, preview] = await Promise.all([
        loadFinished(id, target).catch(() => 0),
        actions.preview({ batchId: id }),
      ]);
      if (token !== attempt.current) return;
      if (!preview.ok) {
        setServerError(preview.message);
        setPhase("checked");
        if (refused > 0) bump();
        return;
      }
      applyPredictions(target, preview.data.predictions);
      setTotals(preview.data.totals);
      bump();
      setPhase("ready");
    },
    [actions, bump],
  );

  /** Sends the file to the server, which checks it again and stores it as a draft batch. */
  const upload = useCallback(
    async (source: File, target: BulkRow[], reason: string, uploadMode: SubOrderMode) => {
      const token = ++attempt.current;
      setServerError(null);
      setTotals(null);
      setDuplicateOf(null);
      setConfirmDuplicate(false);
      setPhase("uploading");
      const result = await uploadCsvFile(source, {
        kind,
        mode: kind === "line_items" ? "line_items" : uploadMode,
        reasonCode: reason,
      });
      if (token !== attempt.current) return;
      if (!result.ok) {
        if (result.code === "INVALID_FILE") {
          setProblem(result.message);
          setRows([]);
          setPhase("problem");
        } else {
          setServerError(result.message);
          setPhase("checked");
        }
        return;
      }
      selectBatch(result.data.batchId);
      setDuplicateOf(result.data.duplicateOf);
      await runPreview(result.data.batchId, target, token);
    },
    [kind, runPreview, selectBatch],
  );

  const onFile = useCallback(
    async (picked: File) => {
      const token = ++attempt.current;
      selectBatch(null);
      setProblem(null);
      setServerError(null);
      setTotals(null);
      setProgress(null);
      setDuplicateOf(null);
      setRows([]);
      setFile(picked);
      setFileInfo({ name: picked.name, size: picked.size, rows: 0, items: 0, invalidItems: 0 });
      setPhase("reading");
      const checked = await checkUpload(picked, kind, {
        defaultReasonCode: reasonCode,
        knownReasonCodes: reasons.map((r) => r.code),
      });
      if (token !== attempt.current) return;
      if (!checked.ok) {
        setProblem(checked.problem.message);
        setPhase("problem");
        return;
      }
      const built = rowsFromValidation(kind, checked.items, checked.columns);
      setRows(built);
      setFileInfo({
        name: picked.name,
        size: picked.size,
        rows: checked.counts.rows,
        items: checked.counts.items,
        invalidItems: checked.counts.invalidItems,
        parseMs: checked.parseMs,
      });
      if (!reasonCode) {
        setPhase("checked");
        return;
      }
      await upload(picked, built, reasonCode, mode);
    },
    [kind, mode, reasonCode, reasons, selectBatch, upload],
  );

  /**
   * A different reason or mode changes what the draft would do: the stored draft is changed in place
   * (the file is not sent again) and the dry run asked again. Without a draft yet (no reason was
   * chosen when the file was read), the file is stored now.
   */
  const onSettingsChange = (next: { reason?: string; mode?: SubOrderMode }) => {
    const reason = next.reason ?? reasonCode;
    const nextMode = next.mode ?? mode;
    if (next.reason !== undefined) {
      setReasonCode(next.reason);
      setReasonError(null);
    }
    if (next.mode !== undefined) setMode(next.mode);
    if ((!file && !batchId) || !reason || rows.length === 0) return;
    if (phase === "running" || phase === "finished" || phase === "reading" || phase === "problem") return;
    // Rows keep the browser's verdicts; the server's are asked for again.
    const fresh = rows.map((r) =>
      r.status === "ERROR" && r.code !== "SUB_ORDER_NOT_FOUND"
        ? r
        : {
            ...r,
            status: "CHECKING" as const,
            code: null,
            message: null,
            units: null,
            otherBatchId: null,
            lineErrors: null,
          },
    );
    setRows(fresh);
    if (!batchId) {
      if (file) void upload(file, fresh, reason, nextMode);
      return;
    }
    const token = ++attempt.current;
    setServerError(null);
    setTotals(null);
    setPhase("previewing");
    void actions
      .updateDraft({ batchId, reasonCode: reason, mode: kind === "line_items" ? undefined : nextMode })
      .then(async (changed) => {
        if (token !== attempt.current) return;
        if (!changed.ok) {
          setServerError(changed.message);
          setPhase("checked");
          return;
        }
        await runPreview(batchId, fresh, token);
      });
  };

  // A stored batch named by the URL: load its rows, then watch it or run its dry run.
  useEffect(() => {
    if (!initialBatch) return;
    const token = ++attempt.current;
    const started = initialBatch.status !== "draft";
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
      if (token !== attempt.current) return;
      const built = rowsFromStoredItems(items, started);
      const counts = countRows(built);
      setRows(built);
      setFileInfo((info) => (info ? { ...info, invalidItems: counts.ERROR } : info));
      if (!started) await runPreview(initialBatch.id, built, token);
      else setPhase("running");
    })().catch((error: unknown) => {
      if (token !== attempt.current) return;
      setServerError(error instanceof Error ? error.message : String(error));
      setPhase("idle");
    });
  }, [initialBatch, runPreview]);

  useBatchWatch({
    batchId,
    active: phase === "running" || (phase === "finished" && (progress?.waiting ?? 0) > 0),
    rows,
    onRowsChanged: bump,
    onProgress: setProgress,
    onFinished: (last) => {
      setProgress(last);
      setPhase("finished");
    },
    onTrouble: setTrouble,
  });

  const onStart = () => {
    if (!batchId) return;
    if (!reasonCode) {
      setReasonError("Choose a reason before starting.");
      return;
    }
    startTransition(async () => {
      const result = await actions.start({ batchId, confirmDuplicate });
      if (!result.ok) {
        toast.error(result.message);
        setServerError(result.message);
        return;
      }
      if (result.data.alreadyStarted) toast.info("This batch was already started; showing its progress.");
      else toast.success("Cancellation started. You can close this page: the run goes on.");
      markStarted(rows);
      bump();
      setPhase("running");
    });
  };

  const onOpenLines = useCallback((row: BulkRow) => setOpenRow(row), []);
  const columns = useMemo(() => bulkRowsColumns(kind, onOpenLines), [kind, onOpenLines]);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => String(row.seq),
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: rows change in place; version says when
  const counts = useMemo(() => countRows(rows), [rows, version]);
  // A started batch reopened from its link keeps its settings; a reopened draft can still change them.
  const reopened =
    initialBatch !== null && file === null && batchId === initialBatch.id && initialBatch.status !== "draft";
  const locked = phase === "running" || phase === "finished" || phase === "loading" || isStarting || reopened;
  // Once a run is under way its settings are fixed: a summary line replaces the controls.
  const showSummary =
    phase === "running" || phase === "finished" || (reopened && phase !== "ready" && phase !== "previewing");
  const busy = phase === "reading" || phase === "uploading" || phase === "previewing" || phase === "loading";
  const hasTable = rows.length > 0 && phase !== "problem";
  const startBlocked =
    phase !== "ready" ||
    isStarting ||
    !totals ||
    totals.willCancel === 0 ||
    (duplicateOf !== null && !confirmDuplicate);

  return (
    <div className="flex flex-col gap-5">
      <section
        aria-label={kind === "sub_orders" ? "Sub-order file" : "Line-item file"}
        className={cn(
          "flex flex-col gap-4 rounded-xl border bg-card shadow-xs",
          showSummary ? "px-5 py-3" : "p-5",
        )}
      >
        {showSummary ? null : (
          <div className="flex flex-col gap-5 lg:flex-row lg:items-start lg:gap-10">
            <ReasonSelect
              id={`${ids}-reason`}
              label="Reason"
              reasons={reasons}
              value={reasonCode}
              onValueChange={(code) => onSettingsChange({ reason: code })}
              hint="Used for rows without a Reason Code."
              error={reasonError}
              disabled={locked}
            />
            {kind === "sub_orders" ? (
              <fieldset className="flex flex-col gap-2" disabled={locked}>
                <legend className="mb-2 font-medium text-sm">Cancel</legend>
                <RadioGroup
                  aria-label="Cancel"
                  value={mode}
                  onValueChange={(value) => onSettingsChange({ mode: value as SubOrderMode })}
                  disabled={locked}
                  className="gap-2"
                >
                  <div className="flex items-start gap-2">
                    <RadioGroupItem id={`${ids}-strict`} value="strict" className="mt-0.5" />
                    <div className="flex flex-col gap-1">
                      <Label htmlFor={`${ids}-strict`}>Whole sub-order</Label>
                      <span className="text-muted-foreground text-xs">
                        Fails if anything is shipped or in processing
                      </span>
                    </div>
                  </div>
                  <div className="flex items-start gap-2">
                    <RadioGroupItem id={`${ids}-unfulfilled`} value="unfulfilled_only" className="mt-0.5" />
                    <div className="flex flex-col gap-1">
                      <Label htmlFor={`${ids}-unfulfilled`}>Unfulfilled units only</Label>
                      <span className="text-muted-foreground text-xs">
                        Leaves shipped and in-processing units alone
                      </span>
                    </div>
                  </div>
                </RadioGroup>
              </fieldset>
            ) : null}
            <div className="flex flex-col gap-1.5 lg:ml-auto lg:items-end">
              <Button asChild variant="outline" size="sm">
                <a href={`/api/templates/${kind}`} download>
                  <Download aria-hidden="true" />
                  Download sample CSV template
                </a>
              </Button>
              <p className="text-muted-foreground text-xs">Columns: {text.template}</p>
            </div>
          </div>
        )}
        {phase === "idle" || phase === "problem" ? (
          <UploadDropzone
            label={text.uploadLabel}
            onFile={onFile}
            errorId={problem ? problemId : undefined}
          />
        ) : (
          <div
            className={cn(
              "flex flex-wrap items-center justify-between gap-3",
              showSummary ? "" : "rounded-lg border bg-muted/30 px-4 py-2.5",
            )}
          >
            <div className="flex min-w-0 items-center gap-3">
              <FileText aria-hidden="true" className="size-5 shrink-0 text-muted-foreground" />
              <div className="flex min-w-0 flex-col">
                <span className="truncate font-medium text-sm" data-testid="file-name">
                  {fileInfo?.name}
                </span>
                <span className="text-muted-foreground text-xs">
                  {fileInfo && fileInfo.rows > 0
                    ? `${plural(fileInfo.rows, "row")}${kind === "line_items" ? ` in ${plural(fileInfo.items, "sub-order")}` : ""}${
                        fileInfo.parseMs !== undefined ? `, read in ${formatCount(fileInfo.parseMs)} ms` : ""
                      }`
                    : "Reading…"}
                  {batchId ? ` · batch ${shortId(batchId)}` : ""}
                </span>
                {showSummary ? (
                  <span className="text-muted-foreground text-xs">
                    Reason: {reasons.find((r) => r.code === reasonCode)?.label ?? reasonCode}
                    {kind === "sub_orders"
                      ? ` · ${mode === "strict" ? "whole sub-orders" : "unfulfilled units only"}`
                      : " · line-item quantities"}
                  </span>
                ) : null}
              </div>
            </div>
            {phase !== "running" ? (
              <Button variant="ghost" size="sm" onClick={reset} disabled={isStarting}>
                <RotateCcw aria-hidden="true" />
                {phase === "finished" ? "Upload another file" : "Choose another file"}
              </Button>
            ) : null}
          </div>
        )}
      </section>

      <div aria-live="polite" className="flex flex-col gap-3 empty:hidden">
        {problem ? (
          <Alert variant="destructive" role="alert" id={problemId}>
            <CircleAlert aria-hidden="true" />
            <AlertTitle>This file cannot be used</AlertTitle>
            <AlertDescription>
              <p>{problem}</p>
            </AlertDescription>
          </Alert>
        ) : null}
        {serverError ? (
          <Alert variant="destructive" role="alert">
            <CircleAlert aria-hidden="true" />
            <AlertTitle>Something went wrong</AlertTitle>
            <AlertDescription>
              <p>{serverError}</p>
            </AlertDescription>
          </Alert>
        ) : null}
        {trouble ? (
          <Alert variant="warning">
            <TriangleAlert aria-hidden="true" />
            <AlertTitle>Progress is not updating</AlertTitle>
            <AlertDescription>
              <p>{trouble} The run goes on on the server; this page keeps trying.</p>
            </AlertDescription>
          </Alert>
        ) : null}
        {phase === "checked" && !reasonCode && !serverError ? (
          <Alert>
            <CircleAlert aria-hidden="true" />
            <AlertTitle>Choose a reason to check the file against the current orders</AlertTitle>
            <AlertDescription>
              <p>The rows below passed or failed the file checks; the dry run needs the reason.</p>
            </AlertDescription>
          </Alert>
        ) : null}
        {busy ? (
          <p role="status" className="flex items-center gap-2 text-muted-foreground text-sm">
            <Loader2 aria-hidden="true" className="size-4 motion-safe:animate-spin" />
            {phase === "reading"
              ? "Reading the file…"
              : phase === "uploading"
                ? "Checking the file on the server…"
                : phase === "loading"
                  ? "Loading the batch…"
                  : "Running the dry run against the current orders…"}
          </p>
        ) : null}
        {duplicateOf && phase !== "running" && phase !== "finished" ? (
          <Alert variant="warning" role="alert">
            <TriangleAlert aria-hidden="true" />
            <AlertTitle>This file was already run</AlertTitle>
            <AlertDescription>
              <p>
                The same file ({duplicateOf.fileName}) was run at {formatDateTime(duplicateOf.createdAt)} as{" "}
                <Link
                  href={`/batches/${duplicateOf.id}`}
                  className="font-medium text-foreground underline underline-offset-4"
                >
                  batch {shortId(duplicateOf.id)}
                </Link>
                . Rows already cancelled will fail as already cancelled.
              </p>
              <div className="mt-1 flex items-center gap-2">
                <Checkbox
                  id={`${ids}-confirm-duplicate`}
                  checked={confirmDuplicate}
                  onCheckedChange={(checked) => setConfirmDuplicate(checked === true)}
                />
                <Label htmlFor={`${ids}-confirm-duplicate`} className="font-normal text-foreground">
                  Run this file again anyway
                </Label>
              </div>
            </AlertDescription>
          </Alert>
        ) : null}
        {phase === "finished" && batchId && progress ? (
          <ResultBanner
            batchId={batchId}
            succeeded={progress.success}
            failed={progress.error}
            waiting={progress.waiting}
            noun={text.noun}
          />
        ) : null}
      </div>

      {totals && (phase === "ready" || phase === "previewing" || phase === "uploading") ? (
        <PreviewSummary totals={totals} kind={kind} />
      ) : null}
      {progress && (phase === "running" || phase === "finished") ? (
        <BatchProgress progress={progress} noun={text.rateNoun} compact={phase === "finished"} />
      ) : null}

      {hasTable ? (
        <section aria-label="Rows" className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-muted-foreground text-sm" data-testid="row-counts">
              {plural(counts.total, kind === "sub_orders" ? "row" : "sub-order")}
              {counts.READY > 0 ? ` · ${formatCount(counts.READY)} will cancel` : ""}
              {counts.WILL_FAIL > 0 ? ` · ${formatCount(counts.WILL_FAIL)} will fail` : ""}
              {counts.PENDING > 0 ? ` · ${formatCount(counts.PENDING)} pending` : ""}
              {counts.WAITING > 0 ? ` · ${formatCount(counts.WAITING)} waiting for the warehouse` : ""}
              {counts.SUCCESS > 0 ? ` · ${formatCount(counts.SUCCESS)} succeeded` : ""}
              {counts.ERROR > 0 ? ` · ${plural(counts.ERROR, "error")}` : ""}
            </p>
            {phase !== "running" && phase !== "finished" ? (
              <Button onClick={onStart} disabled={startBlocked} aria-describedby={`${ids}-start-hint`}>
                {isStarting ? (
                  <Loader2 aria-hidden="true" className="motion-safe:animate-spin" />
                ) : (
                  <Play aria-hidden="true" />
                )}
                Start Cancellation
              </Button>
            ) : null}
          </div>
          {phase !== "running" && phase !== "finished" ? (
            <p id={`${ids}-start-hint`} className="text-muted-foreground text-xs">
              {phase === "ready" && totals
                ? totals.willCancel === 0
                  ? "No row can be cancelled; nothing would run."
                  : `Start cancels the rows marked WILL CANCEL. Rows marked ERROR are not sent. Cancellations cannot be undone.`
                : "Start is possible once the dry run has finished."}
            </p>
          ) : null}
          <VirtualDataTable
            table={table}
            label={text.tableLabel}
            version={version}
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

/** Marks the items a stored batch has already finished (refused at upload). Returns how many rows changed. */
async function loadFinished(batchId: string, rows: BulkRow[]): Promise<number> {
  let changed = 0;
  let after = "0";
  for (;;) {
    const page = await fetchProgress(batchId, `after=${after}`);
    changed += applyItemChanges(rows, page.changes);
    if (!page.more || page.cursor === null) return changed;
    after = page.cursor;
  }
}
