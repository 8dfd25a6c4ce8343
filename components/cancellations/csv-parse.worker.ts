/**
 * Parses and checks a large upload off the main thread, so the page stays responsive while a
 * 100,000-row file is read. Started by `checkUpload` with
 * `new Worker(new URL("./csv-parse.worker.ts", import.meta.url))`.
 */
import type { CsvKind } from "@/lib/csv/templates";
import { type CheckedFile, type CheckOptions, parseAndValidate } from "./parse-and-validate";

export type ParseRequest = { file: File; kind: CsvKind; options: CheckOptions };
export type ParseResponse = CheckedFile | { ok: false; problem: { code: "INVALID_FILE"; message: string } };

addEventListener("message", async (event: MessageEvent<ParseRequest>) => {
  const { file, kind, options } = event.data;
  let response: ParseResponse;
  try {
    response = await parseAndValidate(file, kind, options);
  } catch {
    response = {
      ok: false,
      problem: { code: "INVALID_FILE", message: "The file could not be read. Save it as CSV and try again." },
    };
  }
  // The row numbers' buffers are moved to the page, not copied.
  const transfer = response.ok ? [response.rows.rowNumbers.buffer, response.rows.rowCounts.buffer] : [];
  postMessage(response, { transfer: transfer as ArrayBuffer[] });
});
