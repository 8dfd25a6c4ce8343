"use client";

import { CircleAlert, Download, FileText, Loader2, Play, RotateCcw, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useFormatter } from "@/components/format/locale-provider";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import type { CsvKind } from "@/lib/csv/templates";
import { cn } from "@/lib/utils";
import type { BulkEvent, BulkState } from "./bulk-panel-state";
import type { RowCounts } from "./bulk-rows";
import { shortId } from "./format";
import { ReasonSelect } from "./reason-select";
import type { ReasonOption, SubOrderMode } from "./types";

/** Words that differ between the sub-order and the line-item file. */
export const KIND_TEXT = {
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

/** The reason, the mode (sub-order files) and the template: what the whole file runs with. */
export function BulkSettings({
  id,
  kind,
  reasons,
  state,
  locked,
  onReason,
  onMode,
}: {
  id: string;
  kind: CsvKind;
  reasons: readonly ReasonOption[];
  state: BulkState;
  locked: boolean;
  onReason: (code: string) => void;
  onMode: (mode: SubOrderMode) => void;
}) {
  return (
    <div className="flex flex-col gap-5 lg:flex-row lg:items-start lg:gap-10">
      <ReasonSelect
        id={`${id}-reason`}
        label="Reason"
        reasons={reasons}
        value={state.reasonCode}
        onValueChange={onReason}
        hint="Used for rows without a Reason Code."
        error={state.reasonError}
        disabled={locked}
      />
      {kind === "sub_orders" ? (
        <fieldset className="flex flex-col gap-2" disabled={locked}>
          <legend className="mb-2 font-medium text-sm">Cancel</legend>
          <RadioGroup
            aria-label="Cancel"
            value={state.mode}
            onValueChange={(value) => onMode(value as SubOrderMode)}
            disabled={locked}
            className="gap-2"
          >
            <ModeOption id={`${id}-strict`} value="strict" label="Whole sub-order">
              Fails if anything is shipped or in processing
            </ModeOption>
            <ModeOption id={`${id}-unfulfilled`} value="unfulfilled_only" label="Unfulfilled units only">
              Leaves shipped and in-processing units alone
            </ModeOption>
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
        <p className="text-muted-foreground text-xs">Columns: {KIND_TEXT[kind].template}</p>
      </div>
    </div>
  );
}

function ModeOption({
  id,
  value,
  label,
  children,
}: {
  id: string;
  value: SubOrderMode;
  label: string;
  children: string;
}) {
  return (
    <div className="flex items-start gap-2">
      <RadioGroupItem id={id} value={value} className="mt-0.5" />
      <div className="flex flex-col gap-1">
        <Label htmlFor={id}>{label}</Label>
        <span className="text-muted-foreground text-xs">{children}</span>
      </div>
    </div>
  );
}

/** The file shown: its name, size, the batch it is stored as, and a way to choose another. */
export function FileBar({
  kind,
  state,
  batchId,
  reasons,
  compact,
  onReset,
}: {
  kind: CsvKind;
  state: BulkState;
  batchId: string | null;
  reasons: readonly ReasonOption[];
  compact: boolean;
  onReset: () => void;
}) {
  const f = useFormatter();
  const { fileInfo, phase } = state;
  return (
    <div
      className={cn(
        "flex flex-wrap items-center justify-between gap-3",
        compact ? "" : "rounded-lg border bg-muted/30 px-4 py-2.5",
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
              ? `${f.plural(fileInfo.rows, "row")}${kind === "line_items" ? ` in ${f.plural(fileInfo.items, "sub-order")}` : ""}${
                  fileInfo.parseMs !== undefined ? `, read in ${f.count(fileInfo.parseMs)} ms` : ""
                }`
              : "Reading…"}
            {batchId ? ` · batch ${shortId(batchId)}` : ""}
          </span>
          {compact ? (
            <span className="text-muted-foreground text-xs">
              Reason: {reasons.find((r) => r.code === state.reasonCode)?.label ?? state.reasonCode}
              {kind === "sub_orders"
                ? ` · ${state.mode === "strict" ? "whole sub-orders" : "unfulfilled units only"}`
                : " · line-item quantities"}
            </span>
          ) : null}
        </div>
      </div>
      {phase !== "running" && phase !== "starting" ? (
        <Button variant="ghost" size="sm" onClick={onReset}>
          <RotateCcw aria-hidden="true" />
          {phase === "finished" ? "Upload another file" : "Choose another file"}
        </Button>
      ) : null}
    </div>
  );
}

/** What needs saying above the table: a refused file, a server error, trouble watching, the dry run. */
export function BulkNotices({
  id,
  state,
  busy,
  dispatch,
}: {
  id: string;
  state: BulkState;
  busy: boolean;
  dispatch: (event: BulkEvent) => void;
}) {
  const f = useFormatter();
  const { phase, problem, serverError, trouble, duplicateOf } = state;
  return (
    <>
      {problem ? (
        <Alert variant="destructive" role="alert" id={`${id}-problem`}>
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
      {phase === "checked" && !state.reasonCode && !serverError ? (
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
              The same file ({duplicateOf.fileName}) was run at {f.dateTime(duplicateOf.createdAt)} as{" "}
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
                id={`${id}-confirm-duplicate`}
                checked={state.confirmDuplicate}
                onCheckedChange={(checked) =>
                  dispatch({ type: "duplicateConfirmed", confirmed: checked === true })
                }
              />
              <Label htmlFor={`${id}-confirm-duplicate`} className="font-normal text-foreground">
                Run this file again anyway
              </Label>
            </div>
          </AlertDescription>
        </Alert>
      ) : null}
    </>
  );
}

/** The counts line over the table, with Start and what it will do. */
export function RowsHeader({
  id,
  kind,
  counts,
  state,
  canStart,
  onStart,
}: {
  id: string;
  kind: CsvKind;
  counts: RowCounts;
  state: BulkState;
  canStart: boolean;
  onStart: () => void;
}) {
  const f = useFormatter();
  const { phase, totals } = state;
  const beforeStart = phase !== "running" && phase !== "finished" && phase !== "starting";
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-muted-foreground text-sm" data-testid="row-counts">
          {f.plural(counts.total, kind === "sub_orders" ? "row" : "sub-order")}
          {counts.READY > 0 ? ` · ${f.count(counts.READY)} will cancel` : ""}
          {counts.WILL_FAIL > 0 ? ` · ${f.count(counts.WILL_FAIL)} will fail` : ""}
          {counts.PENDING > 0 ? ` · ${f.count(counts.PENDING)} pending` : ""}
          {counts.WAITING > 0 ? ` · ${f.count(counts.WAITING)} waiting for the warehouse` : ""}
          {counts.SUCCESS > 0 ? ` · ${f.count(counts.SUCCESS)} succeeded` : ""}
          {counts.ERROR > 0 ? ` · ${f.plural(counts.ERROR, "error")}` : ""}
        </p>
        {beforeStart || phase === "starting" ? (
          <Button onClick={onStart} disabled={!canStart} aria-describedby={`${id}-start-hint`}>
            {phase === "starting" ? (
              <Loader2 aria-hidden="true" className="motion-safe:animate-spin" />
            ) : (
              <Play aria-hidden="true" />
            )}
            Start Cancellation
          </Button>
        ) : null}
      </div>
      {beforeStart ? (
        <p id={`${id}-start-hint`} className="text-muted-foreground text-xs">
          {phase === "ready" && totals
            ? totals.willCancel === 0
              ? "No row can be cancelled; nothing would run."
              : "Start cancels the rows marked WILL CANCEL. Rows marked ERROR are not sent. Cancellations cannot be undone."
            : "Start is possible once the dry run has finished."}
        </p>
      ) : null}
    </>
  );
}
