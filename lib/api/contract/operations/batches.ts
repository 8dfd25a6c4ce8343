import { z } from "zod";
import { BATCH_ITEM_STATUSES, BATCH_KINDS, BATCH_MODES, BATCH_STATUSES } from "@/db/schema/batches";
import {
  itemChangeSchema,
  predictionSchema,
  previewTotalsSchema,
  progressSchema,
} from "@/lib/batches/contracts";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { MAX_FILE_BYTES, MAX_ROWS } from "@/lib/csv/parse";
import { CSV_KINDS } from "@/lib/csv/templates";
import { freeText, idText } from "@/lib/validation/text";
import { defineOperation } from "../operation";
import { cursorQuery, envelope, limitQuery, pageOf } from "../schemas";

/**
 * Cancellation batches by API: the screen's CSV run (upload, file check and dry run, start, progress,
 * rows, error CSV, "Retry failed rows") through the same lib/batches services, so the limits, the
 * messages and the duplicate-file rule are the screen's.
 */

const TAG = "Cancellation batches";
const iso = z.iso.datetime({ offset: true });
const params = z.object({ id: z.uuid("Not a batch id").meta({ description: "The batch id (a UUID)." }) });

export const batchSchema = z
  .object({
    id: z.uuid(),
    kind: z
      .enum(BATCH_KINDS)
      .meta({ description: "sub_orders: one row per sub-order; line_items: one row per line." }),
    mode: z.enum(BATCH_MODES),
    status: z.enum(BATCH_STATUSES).meta({
      description:
        "draft: checked, not started; queued/running: the runner has it; completed: every row has an outcome (rows may still be WAITING for their warehouse).",
    }),
    fileName: z.string(),
    reasonCode: z.string().meta({ description: "The reason of rows whose file names none." }),
    createdBy: z.string(),
    createdAt: iso,
    startedBy: z.string().nullable(),
    parentBatchId: z
      .uuid()
      .nullable()
      .meta({ description: "For a retry of failed rows: the batch it retries." }),
    retries: z
      .array(z.object({ id: z.uuid(), status: z.enum(BATCH_STATUSES) }))
      .meta({ description: "Retries of this batch's failed rows, oldest first." }),
    retryable: z.number().int().meta({
      description:
        "Failed rows that `retry-failed` would run again (the warehouse or a channel was unavailable).",
    }),
    totalRows: z.number().int().meta({ description: "Data rows in the file." }),
    progress: progressSchema.meta({
      description: "Items (one per sub-order) by status, units cancelled, rate and time left while it runs.",
    }),
  })
  .meta({ description: "A cancellation batch: one uploaded CSV file and its run." });
export type BatchJson = z.infer<typeof batchSchema>;

export const batchItemSchema = itemChangeSchema
  .extend({
    subOrderId: z.string(),
    rowNumbers: z
      .array(z.number().int())
      .meta({ description: "The item's rows as a spreadsheet numbers them (the header is row 1)." }),
    syncState: z
      .string()
      .nullable()
      .meta({ description: "Where telling the channel stands; null when there is nothing to tell." }),
  })
  .meta({
    description:
      "One item: a sub-order (with its lines, for a line-item file). `errorCode` and `errorMessage` are the catalog's, as in the error CSV.",
  });

export const fileCheckSchema = z
  .object({
    rows: z.number().int().meta({ description: "Data rows read from the file." }),
    items: z.number().int().meta({ description: "Items (sub-orders) the rows make." }),
    invalidItems: z.number().int().meta({
      description: "Items the file checks refuse (a missing or repeated id, a bad quantity); they never run.",
    }),
    duplicateOf: z
      .object({ id: z.uuid(), fileName: z.string(), createdAt: iso })
      .nullable()
      .meta({ description: "The same file (SHA-256) was started in the last 24 hours as this batch." }),
    dryRun: previewTotalsSchema.meta({
      description: "What the run would do now, by the same rules, writing nothing.",
    }),
    refused: z.array(batchItemSchema).meta({
      description:
        "The first 100 items refused when the file was stored (a row the file checks refuse, a sub-order that does not exist); they never run. All of them: `items?status=ERROR` before the start.",
    }),
    predictedFailures: z
      .array(predictionSchema)
      .meta({ description: "The first 100 items the dry run expects to fail, by seq." }),
  })
  .meta({ description: "The server's check of the file and the dry run, as the screen shows them." });

const trueFalse = (description: string) => z.enum(["true", "false"]).optional().meta({ description });

export const createBatchQuery = z
  .object({
    kind: z.enum(CSV_KINDS).meta({
      description: "sub_orders (column Sub Order ID) or line_items (Sub Order ID, SKU ID, Quantity).",
    }),
    reasonCode: idText({ required: "Choose a reason" }).meta({
      description: "An active reason code for rows without a Reason Code column value, e.g. OUT_OF_STOCK.",
    }),
    mode: z.enum(SUB_ORDER_MODES).optional().meta({
      description:
        "For a sub-order file: strict (default; refused if anything shipped or is in processing) or unfulfilled_only. Leave out for a line-item file.",
    }),
    fileName: freeText({ max: 255 })
      .optional()
      .meta({ description: "The name the batch and its error CSV carry (default upload.csv)." }),
    start: trueFalse("true: start the run at once (default false: a draft to start with `…/start`)."),
    confirmDuplicate: trueFalse(
      "true: start even though the same file was started in the last 24 hours (otherwise DUPLICATE_FILE).",
    ),
  })
  .refine((q) => q.kind !== "line_items" || q.mode === undefined, {
    message: "A line-item file runs in line-item mode; a sub-order file in strict or unfulfilled-only mode",
    path: ["mode"],
  });

const batchExample: BatchJson = {
  id: "3f0c7a52-6c1e-4a53-9d3e-2b8f0a1d7c11",
  kind: "sub_orders",
  mode: "strict",
  status: "running",
  fileName: "cancel-2025-06-01.csv",
  reasonCode: "OUT_OF_STOCK",
  createdBy: "ERP integration",
  createdAt: "2025-06-01T09:30:00.000Z",
  startedBy: "ERP integration",
  parentBatchId: null,
  retries: [],
  retryable: 0,
  totalRows: 3,
  progress: {
    status: "running",
    total: 3,
    pending: 1,
    waiting: 0,
    success: 1,
    error: 1,
    units: 4,
    rate: 12.5,
    etaSeconds: 0.1,
    startedAt: "2025-06-01T09:30:01.000Z",
    finishedAt: null,
  },
};

const refusedExample = {
  seq: 3,
  subOrderId: "",
  rowNumbers: [4],
  status: "ERROR" as const,
  errorCode: "INVALID_INPUT",
  errorMessage: "Row 4, Sub Order ID: empty",
  units: null,
  syncState: null,
};

export const createCancellationBatch = defineOperation({
  operationId: "createCancellationBatch",
  method: "post",
  path: "/cancellation-batches",
  tag: TAG,
  summary: "Upload a CSV file as a cancellation batch",
  description:
    "The body is the CSV file itself, as on the Cancellations screen: the same columns (headers match case-, space- and underscore-insensitively), a UTF-8 BOM, CRLF, `;` or tab delimiters and quoted fields are fine; up to 50 MB and 200,000 rows. The server checks every row (messages name the row and column) and runs the dry run, stores the batch, and answers 202 with it and the file check. A file that cannot be read at all is one INVALID_FILE. With `start=true` the run starts at once; a file already started in the last 24 hours (same SHA-256) is then refused with DUPLICATE_FILE (409; nothing runs) unless `confirmDuplicate=true`. Without `start`, the draft waits for `POST …/{id}/start` (drafts not started within 24 hours are deleted). Follow the run with `GET …/{id}`.",
  scope: "cancel",
  query: createBatchQuery,
  upload: {
    contentTypes: ["text/csv", "application/octet-stream"],
    maxBytes: MAX_FILE_BYTES,
    description: `The CSV file, at most 50 MB and ${MAX_ROWS.toLocaleString("en")} data rows.`,
    example: "Sub Order ID\r\nSO-000001-1\r\nSO-000002-1\r\n",
  },
  idempotent: true,
  responses: {
    202: {
      description: "Stored (and started, with `start=true`).",
      schema: envelope(z.object({ batch: batchSchema, fileCheck: fileCheckSchema })),
      example: {
        ok: true,
        data: {
          batch: {
            ...batchExample,
            status: "draft",
            startedBy: null,
            progress: {
              ...batchExample.progress,
              status: "draft",
              pending: 2,
              success: 0,
              units: 0,
              rate: null,
              etaSeconds: null,
              startedAt: null,
            },
          },
          fileCheck: {
            rows: 3,
            items: 3,
            invalidItems: 1,
            duplicateOf: null,
            dryRun: {
              rows: 3,
              subOrders: 3,
              willCancel: 1,
              willFail: 1,
              invalid: 1,
              units: 4,
              values: [{ currency: "INR", valueMinor: 7996 }],
              inOtherBatches: 0,
            },
            refused: [refusedExample],
            predictedFailures: [
              {
                seq: 2,
                outcome: "fail",
                code: "IN_PROCESSING",
                message: "SKU TSHIRT-M-RED: 1 unit in processing (picklist released)",
              },
            ],
          },
        },
      },
    },
  },
  errors: ["INVALID_FILE", "REASON_NOT_FOUND", "DUPLICATE_FILE"],
});

export const getCancellationBatch = defineOperation({
  operationId: "getCancellationBatch",
  method: "get",
  path: "/cancellation-batches/{id}",
  tag: TAG,
  summary: "Read a batch's progress and counts",
  description:
    "The batch, its status and its items by status (pending, waiting for the warehouse, succeeded, failed), units cancelled, rate and time left, and its retries. Poll it while the run goes on.",
  scope: "read",
  params,
  responses: {
    200: {
      description: "The batch.",
      schema: envelope(batchSchema),
      example: { ok: true, data: batchExample },
    },
  },
  errors: ["BATCH_NOT_FOUND"],
});

export const listCancellationBatchItems = defineOperation({
  operationId: "listCancellationBatchItems",
  method: "get",
  path: "/cancellation-batches/{id}/items",
  tag: TAG,
  summary: "List a batch's items",
  description:
    "The batch's items (one per sub-order) in file order, each with its status, error code and message, units cancelled and its rows; `status=ERROR` for the failures. `nextCursor` continues the list; while the batch runs a page may hold fewer items than `limit` (even none), so go on until `nextCursor` is null. No item is given twice.",
  scope: "read",
  params,
  query: z.object({
    status: z.enum(BATCH_ITEM_STATUSES).optional().meta({ description: "Only items with this status." }),
    cursor: cursorQuery.refine(
      (value) => value === undefined || decodeBatchItemsCursor(value) !== null,
      "is not the nextCursor of an earlier page",
    ),
    limit: limitQuery,
  }),
  responses: {
    200: {
      description: "A page of items.",
      schema: pageOf(batchItemSchema),
      example: { ok: true, data: [refusedExample], nextCursor: null },
    },
  },
  errors: ["BATCH_NOT_FOUND"],
});

export const getCancellationBatchErrorsCsv = defineOperation({
  operationId: "getCancellationBatchErrorsCsv",
  method: "get",
  path: "/cancellation-batches/{id}/errors.csv",
  tag: TAG,
  summary: "Download a batch's error CSV",
  description:
    "The failed rows exactly as uploaded plus `Error Code` and `Error Message` (UTF-8 with a BOM, CRLF, formula-like cells prefixed with `'`), ready to fix and upload again. Rows still waiting for their warehouse are not in it.",
  scope: "read",
  params,
  responses: {
    200: {
      description: "The error CSV.",
      contentType: "text/csv",
      example:
        "\uFEFFSub Order ID,Error Code,Error Message\r\nSO-000002-1,IN_PROCESSING,SKU TSHIRT-M-RED: 1 unit in processing (picklist released)\r\n",
    },
  },
  errors: ["BATCH_NOT_FOUND"],
});

export const startCancellationBatch = defineOperation({
  operationId: "startCancellationBatch",
  method: "post",
  path: "/cancellation-batches/{id}/start",
  tag: TAG,
  summary: "Start a draft batch",
  description:
    "Hands an uploaded draft to the runner. Safe to repeat: a batch already started answers `alreadyStarted: true` and nothing runs twice. Only the key that uploaded it may start it. A file already started in the last 24 hours is refused with DUPLICATE_FILE unless `confirmDuplicate` is true.",
  scope: "cancel",
  params,
  body: {
    schema: z
      .object({
        confirmDuplicate: z
          .boolean()
          .optional()
          .meta({ description: "Run it even though the same file was started in the last 24 hours." }),
      })
      .strict(),
    example: { confirmDuplicate: true },
    optional: true,
  },
  idempotent: true,
  responses: {
    202: {
      description: "Started (or it already was).",
      schema: envelope(z.object({ batch: batchSchema, alreadyStarted: z.boolean() })),
      example: { ok: true, data: { batch: { ...batchExample, status: "queued" }, alreadyStarted: false } },
    },
  },
  errors: ["BATCH_NOT_FOUND", "DUPLICATE_FILE"],
});

export const retryCancellationBatch = defineOperation({
  operationId: "retryCancellationBatch",
  method: "post",
  path: "/cancellation-batches/{id}/retry-failed",
  tag: TAG,
  summary: "Retry a finished batch's failed rows",
  description:
    "A new batch, linked to this one, of only the rows that failed because the warehouse or a channel was unavailable (each row exactly as uploaded), started at once. Terminal failures are never retried; a batch has one retry running at a time.",
  scope: "cancel",
  params,
  idempotent: true,
  responses: {
    202: {
      description: "The new batch, started.",
      schema: envelope(z.object({ batch: batchSchema })),
      example: {
        ok: true,
        data: {
          batch: {
            ...batchExample,
            id: "9b1d2e6f-0a4c-4f7e-8c2d-5e6f7a8b9c0d",
            status: "queued",
            parentBatchId: batchExample.id,
          },
        },
      },
    },
  },
  errors: ["BATCH_NOT_FOUND"],
});

/**
 * The items list's cursor: where the next page starts in file order and the last seq already given
 * (an item that turns up before that point, having just failed, is not given twice). Opaque to clients.
 */
export type BatchItemsCursor = { offset: number; lastSeq: number };

export function encodeBatchItemsCursor(cursor: BatchItemsCursor): string {
  return Buffer.from(`${cursor.offset}:${cursor.lastSeq}`, "utf8").toString("base64url");
}

export function decodeBatchItemsCursor(value: string): BatchItemsCursor | null {
  const match = /^(\d{1,9}):(\d{1,9})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  return match ? { offset: Number(match[1]), lastSeq: Number(match[2]) } : null;
}
