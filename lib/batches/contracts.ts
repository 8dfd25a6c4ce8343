/**
 * What the bulk screens and the batch routes exchange: one zod schema per shape, types inferred from
 * them, enums from the database schema. The UI and the route handlers import these from here.
 */
import { z } from "zod";

import { BATCH_ITEM_STATUSES, BATCH_KINDS, BATCH_MODES, BATCH_STATUSES } from "@/db/schema/batches";

export const batchStatusSchema = z.enum(BATCH_STATUSES);
export type BatchStatus = z.infer<typeof batchStatusSchema>;

export const batchItemStatusSchema = z.enum(BATCH_ITEM_STATUSES);
export type BatchItemStatus = z.infer<typeof batchItemStatusSchema>;

/** One item as it finished (or waits): what a watching table applies to its row. */
export const itemChangeSchema = z.object({
  seq: z.number().int(),
  status: batchItemStatusSchema,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  units: z.number().int().nullable(),
});
export type ItemChange = z.infer<typeof itemChangeSchema>;

/** A batch's progress, dates as ISO strings. */
export const progressSchema = z.object({
  status: batchStatusSchema,
  total: z.number().int(),
  pending: z.number().int(),
  /** Rows whose warehouse has not answered yet: units reserved, asked again until it does. */
  waiting: z.number().int(),
  success: z.number().int(),
  error: z.number().int(),
  units: z.number().int(),
  /** Items finished per second since the start. */
  rate: z.number().nullable(),
  /** Seconds left at the current rate. */
  etaSeconds: z.number().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Progress = z.infer<typeof progressSchema>;

/** `GET /api/batches/[id]/progress`: the counts and the items that finished since the cursor. */
export const progressResponseSchema = z.object({
  progress: progressSchema,
  changes: z.array(itemChangeSchema),
  /** Pass back as `?since=` (time cursor) or, for a reconciliation pass, `?after=` (seq). */
  cursor: z.string().nullable(),
  more: z.boolean(),
});
export type ProgressResponse = z.infer<typeof progressResponseSchema>;

const lineErrorSchema = z.object({ sku: z.string(), code: z.string(), message: z.string() });

/** What the dry run says one waiting item would do now. */
export const predictionSchema = z.discriminatedUnion("outcome", [
  z.object({
    seq: z.number().int(),
    outcome: z.literal("cancel"),
    units: z.number().int(),
    /** The value of the units, in minor units of `currency` (the order's). */
    valueMinor: z.number().int(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    otherBatchId: z.string().optional(),
  }),
  z.object({
    seq: z.number().int(),
    outcome: z.literal("fail"),
    code: z.string(),
    message: z.string(),
    lineErrors: z.array(lineErrorSchema).optional(),
    otherBatchId: z.string().optional(),
  }),
]);
export type Prediction = z.infer<typeof predictionSchema>;

export const previewTotalsSchema = z.object({
  rows: z.number().int(),
  subOrders: z.number().int(),
  willCancel: z.number().int(),
  willFail: z.number().int(),
  /** Refused by the file checks when uploaded; never sent. */
  invalid: z.number().int(),
  units: z.number().int(),
  /** The value to cancel per currency (orders of several currencies are never added up), by currency code. */
  values: z.array(z.object({ currency: z.string().regex(/^[A-Z]{3}$/), valueMinor: z.number().int() })),
  inOtherBatches: z.number().int(),
});
export type PreviewTotals = z.infer<typeof previewTotalsSchema>;

export const previewResultSchema = z.object({
  predictions: z.array(predictionSchema),
  totals: previewTotalsSchema,
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

/** `POST /api/batches`: the stored draft and any recent run of the same file. */
export const uploadResultSchema = z.object({
  batchId: z.string(),
  items: z.number().int(),
  rows: z.number().int(),
  invalidItems: z.number().int(),
  duplicateOf: z.object({ id: z.string(), fileName: z.string(), createdAt: z.string() }).nullable(),
});
export type UploadResult = z.infer<typeof uploadResultSchema>;

/** `GET /api/batches/[id]/items`: a page of the batch's items in file order. */
export const itemsResponseSchema = z.object({
  items: z.array(itemChangeSchema.extend({ subOrderId: z.string(), rowNumbers: z.array(z.number().int()) })),
  total: z.number().int(),
});
export type ItemsResponse = z.infer<typeof itemsResponseSchema>;

/** `GET /api/batches/[id]/items/[seq]`: one item's uploaded rows. */
export const itemRowsResponseSchema = z.object({
  rows: z.array(
    z.object({
      rowNumber: z.number().int(),
      sku: z.string(),
      quantity: z.string(),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
    }),
  ),
});
export type ItemRowsResponse = z.infer<typeof itemRowsResponseSchema>;

/** A stored batch, as the cancellation screen reopens it. */
export const batchViewSchema = z.object({
  id: z.string(),
  kind: z.enum(BATCH_KINDS),
  mode: z.enum(BATCH_MODES),
  status: batchStatusSchema,
  fileName: z.string(),
  reasonCode: z.string(),
  totalItems: z.number().int(),
  totalRows: z.number().int(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type BatchView = z.infer<typeof batchViewSchema>;

export const startResultSchema = z.object({ status: z.string(), alreadyStarted: z.boolean() });
export type StartResult = z.infer<typeof startResultSchema>;
