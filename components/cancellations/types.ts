/**
 * The single-cancel screen's shapes and the actions the page hands to the client components as
 * props (so these components never import from app/). The bulk screens' shapes are zod contracts
 * in lib/batches/contracts.ts.
 */
// Type-only imports from server modules: erased at build time, so nothing server-side reaches the browser.
import type { SubOrderLine } from "@/db/queries/sub-orders";
import type { ActionResult } from "@/lib/action-result";
import type { PreviewResult, StartResult } from "@/lib/batches/contracts";
import type { SubOrderMode } from "@/lib/cancellation/rules";

export type SubOrderLineView = SubOrderLine;

export type SubOrderView = {
  id: string;
  orderId: string;
  channelOrderNo: string;
  /** The order's currency: the sub-order's amounts are in it. */
  currency: string;
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
