import type { BATCH_KINDS, BATCH_MODES } from "@/db/schema";
import type { ErrorCode } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";

export type BatchKind = (typeof BATCH_KINDS)[number];
export type BatchMode = (typeof BATCH_MODES)[number];

export type RowProblem = { code: ErrorCode; message: string };

/** One row of the file as uploaded, with what the CSV checks made of it. */
export type BatchRowInput = {
  rowNumber: number;
  cells: string[];
  sku?: string;
  quantity?: number;
  error?: RowProblem;
};

/** A unit of work: one sub-order and the rows that ask for it. */
export type BatchItemInput = {
  seq: number;
  subOrderId: string;
  reasonCode: string;
  rows: BatchRowInput[];
  error?: RowProblem;
};

export type BatchCreator = Actor & { name: string };
