import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { cancellationReasons, cancellations } from "./cancellations";

export const BATCH_KINDS = ["sub_orders", "line_items"] as const;
export const BATCH_MODES = ["strict", "unfulfilled_only", "line_items"] as const;
/** draft: uploaded and checked, not started. queued/running: the runner owns it. */
export const BATCH_STATUSES = ["draft", "queued", "running", "completed"] as const;
/**
 * PENDING: not run yet, or its warehouse is being asked. WAITING: the warehouse has not given a
 * definite answer for a while; the units stay reserved and it is asked again until it does, then
 * the item becomes SUCCESS or ERROR. Only ERROR items go to the error CSV.
 */
export const BATCH_ITEM_STATUSES = ["PENDING", "WAITING", "SUCCESS", "ERROR"] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

/** One uploaded CSV file, persisted so the run survives the browser and the server. */
export const batches = pgTable(
  "batches",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text({ enum: BATCH_KINDS }).notNull(),
    mode: text({ enum: BATCH_MODES }).notNull(),
    fileName: text().notNull(),
    fileSha256: text().notNull(),
    /** The original header row, so the error CSV reproduces the file as uploaded. */
    headers: jsonb().$type<string[]>().notNull(),
    /** Used for rows whose file has no Reason Code column. */
    reasonCode: text()
      .notNull()
      .references(() => cancellationReasons.code),
    status: text({ enum: BATCH_STATUSES }).notNull().default("draft"),
    createdByType: text().notNull(),
    createdById: text().notNull(),
    createdByName: text().notNull(),
    /** A "Retry failed rows" run: the batch whose retryable failures it runs again. */
    parentBatchId: uuid().references((): AnyPgColumn => batches.id),
    /** Who started the run (the uploader or an admin): the actor of its ledger entries. */
    startedByType: text(),
    startedById: text(),
    startedByName: text(),
    totalItems: integer().notNull(),
    totalRows: integer().notNull(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index().on(t.createdAt), index().on(t.fileSha256), index().on(t.status)],
);

/**
 * A unit of work: one sub-order (its lines, for a line-item file). It succeeds or fails as
 * a whole and is the row the runner claims. `seq` keeps file order within a batch.
 */
export const batchItems = pgTable(
  "batch_items",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    batchId: uuid()
      .notNull()
      .references(() => batches.id),
    seq: integer().notNull(),
    subOrderId: text().notNull(),
    /** The reason written in the file for this item; NULL: the batch's reason (editable while a draft). */
    reasonCode: text(),
    status: text({ enum: BATCH_ITEM_STATUSES }).notNull().default("PENDING"),
    errorCode: text(),
    errorMessage: text(),
    unitsCancelled: integer(),
    cancellationId: uuid().references(() => cancellations.id),
    attempts: integer().notNull().default(0),
    /** A claim that outlives its worker expires, so a crashed runner's items are taken again. */
    leaseUntil: timestamp({ withTimezone: true }),
    processedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex().on(t.batchId, t.seq),
    index("batch_items_pending_idx").on(t.batchId, t.seq).where(sql`${t.status} = 'PENDING'`),
    // What the runner may still claim: pending items that hold no ledger entry yet.
    index("batch_items_claimable_idx")
      .on(t.batchId, t.seq)
      .where(sql`${t.status} = 'PENDING' AND ${t.cancellationId} IS NULL`),
    index().on(t.subOrderId),
    index().on(t.cancellationId),
    // Lets a watching page fetch only the items that landed since its last look.
    index().on(t.batchId, t.processedAt),
  ],
);

/** Every row of the uploaded file, exactly as it came, with the item it belongs to. */
export const batchRows = pgTable(
  "batch_rows",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    batchId: uuid()
      .notNull()
      .references(() => batches.id),
    itemId: integer()
      .notNull()
      .references(() => batchItems.id),
    /** The row number a spreadsheet shows: the header is row 1, so the first data row is 2. */
    rowNumber: integer().notNull(),
    cells: jsonb().$type<string[]>().notNull(),
    sku: text(),
    quantity: integer(),
    /** This row's own problem, when it is the reason its item failed. */
    errorCode: text(),
    errorMessage: text(),
    ...timestamps,
  },
  (t) => [
    index().on(t.batchId, t.rowNumber),
    index().on(t.itemId),
    check("batch_rows_row_number_positive", sql`${t.rowNumber} > 0`),
  ],
);
