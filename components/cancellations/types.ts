/**
 * The shapes the cancellation screen exchanges with its server actions and route handlers. The
 * page hands the actions to the client components as props, so these components never import from
 * app/; the actions and handlers import these types instead.
 */
// Type-only imports from server modules: erased at build time, so nothing server-side reaches the browser.
import type { SubOrderLine } from "@/db/queries/sub-orders";
import type { BatchItemStatus } from "@/db/schema/batches";
import type { ActionResult } from "@/lib/action-result";
import type { PreviewTotals } from "@/lib/batches/preview-batch";
import type { SubOrderMode } from "@/lib/cancellation/rules";
import type { CsvKind } from "@/lib/csv/templates";

import type { ItemChangeLike, Prediction } from "./bulk-rows";

export type SubOrderLineView = SubOrderLine;

export type SubOrderView = {
  id: string;
  orderId: string;
  channelOrderNo: string;
  customerName: string;
  channel: { id: string; name: string };
  warehouse: { id: string; name: string };
  status: string;
  statusLabel: string;
  lines: SubOrderLineView[];
};

/** Whether a cancel in one mode would go through now, by the same rules the service applies. */
export type CancelAssessment =
  | { ok: true; units: number; valueMinor: number }
  | { ok: false; code: string; message: string };

export type { SubOrderMode };

export type LookupResult = {
  subOrder: SubOrderView;
  assessment: Record<SubOrderMode, CancelAssessment>;
};

export type SingleCancelResult = {
  outcome:
    | { status: "SUCCESS"; units: number }
    | { status: "WAITING"; units: number; message: string }
    | { status: "ERROR"; code: string; message: string };
  /** The sub-order as it is after the attempt. */
  lookup: LookupResult | null;
};

export type UploadResult = {
  batchId: string;
  items: number;
  rows: number;
  invalidItems: number;
  duplicateOf: { id: string; fileName: string; createdAt: string } | null;
};

export type { PreviewTotals };

export type PreviewResult = { predictions: Prediction[]; totals: PreviewTotals };

export type StartResult = { status: string; alreadyStarted: boolean };

export type SingleCancelActions = {
  lookup: (input: { subOrderId: string }) => Promise<ActionResult<LookupResult>>;
  cancel: (input: {
    subOrderId: string;
    mode: SubOrderMode;
    reasonCode: string;
  }) => Promise<ActionResult<SingleCancelResult>>;
};

export type BulkCancelActions = {
  updateDraft: (input: {
    batchId: string;
    reasonCode?: string;
    mode?: SubOrderMode;
  }) => Promise<ActionResult<{ reasonCode: string; mode: string }>>;
  preview: (input: { batchId: string }) => Promise<ActionResult<PreviewResult>>;
  start: (input: { batchId: string; confirmDuplicate: boolean }) => Promise<ActionResult<StartResult>>;
};

export type ReasonOption = { code: string; label: string; initiator: string };

/** A stored batch, as the screen reopens it. */
export type BatchView = {
  id: string;
  kind: CsvKind;
  mode: string;
  status: "draft" | "queued" | "running" | "completed";
  fileName: string;
  reasonCode: string;
  totalItems: number;
  totalRows: number;
  createdAt: string;
  createdByName: string;
};

export type ProgressView = {
  status: "draft" | "queued" | "running" | "completed";
  total: number;
  pending: number;
  /** Rows whose warehouse has not answered yet: units reserved, asked again until it does. */
  waiting: number;
  success: number;
  error: number;
  units: number;
  rate: number | null;
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
};

/** `GET /api/batches/[id]/progress`: the counts and the items that finished since the cursor. */
export type ProgressResponse = {
  progress: ProgressView;
  changes: ItemChangeLike[];
  /** Pass back as `?since=` (time cursor) or, for a reconciliation pass, `?after=` (seq). */
  cursor: string | null;
  more: boolean;
};

/** `GET /api/batches/[id]/items`: a page of the batch's items in file order. */
export type ItemsResponse = {
  items: {
    seq: number;
    subOrderId: string;
    status: BatchItemStatus;
    errorCode: string | null;
    errorMessage: string | null;
    units: number | null;
    rowNumbers: number[];
  }[];
  total: number;
};

/** `GET /api/batches/[id]/items/[seq]`: one item's uploaded rows. */
export type ItemRowsResponse = {
  rows: {
    rowNumber: number;
    sku: string;
    quantity: string;
    errorCode: string | null;
    errorMessage: string | null;
  }[];
};
