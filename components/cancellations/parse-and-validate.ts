/**
 * Reads and checks an uploaded file in the browser, on the main thread or in the web worker: the
 * same lib/csv code the server runs, so the browser's statuses agree with the stored batch.
 */
import type { FileProblem } from "@/lib/csv/headers";
import { type ParsedCsv, parseCsvFile } from "@/lib/csv/parse";
import type { CsvKind } from "@/lib/csv/templates";
import { type ValidationResult, validateRows } from "@/lib/csv/validate";

export type CheckOptions = {
  defaultReasonCode: string;
  /** Active reason codes; a Reason Code cell outside them is an error. */
  knownReasonCodes: readonly string[];
};

export type CheckedFile =
  | ({ ok: true; parseMs: number } & Pick<ParsedCsv, "headers" | "columns" | "delimiter"> & ValidationResult)
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
    headers: parsed.headers,
    columns: parsed.columns,
    delimiter: parsed.delimiter,
    items,
    counts,
    parseMs: Math.round(performance.now() - started),
  };
}
