/**
 * Reads and checks an uploaded file in the browser, on the main thread or in the web worker: the
 * same lib/csv code the server runs, so the browser's statuses agree with the stored batch.
 */
import type { FileProblem } from "@/lib/csv/headers";
import { parseCsvFile } from "@/lib/csv/parse";
import type { CsvKind } from "@/lib/csv/templates";
import { type ValidationCounts, validateRows } from "@/lib/csv/validate";
import { type PackedRows, packRows, rowsFromValidation } from "./bulk-rows";

export type CheckOptions = {
  defaultReasonCode: string;
  /** Active reason codes; a Reason Code cell outside them is an error. */
  knownReasonCodes: readonly string[];
};

/** The file's rows as the table shows them, packed for the trip from a worker (see packRows). */
export type CheckedFile =
  | { ok: true; parseMs: number; counts: ValidationCounts; rows: PackedRows }
  | { ok: false; problem: FileProblem };

export async function parseAndValidate(
  file: Blob,
  kind: CsvKind,
  options: CheckOptions,
): Promise<CheckedFile> {
  const started = performance.now();
  const parsed = await parseCsvFile(file, kind);
  if (!parsed.ok) return parsed;
  const { items, counts } = validateRows(kind, parsed, {
    defaultReasonCode: options.defaultReasonCode,
    knownReasonCodes: new Set(options.knownReasonCodes),
  });
  return {
    ok: true,
    counts,
    rows: packRows(rowsFromValidation(kind, items, parsed.columns)),
    parseMs: Math.round(performance.now() - started),
  };
}
