/**
 * Parses and checks an upload in the browser: files above WORKER_THRESHOLD_BYTES go to a web worker
 * so the page never freezes; small ones are parsed on the main thread (a worker's start-up would
 * cost more than the parse).
 */
import type { CsvKind } from "@/lib/csv/templates";
import type { ParseRequest, ParseResponse } from "./csv-parse.worker";
import { type CheckedFile, type CheckOptions, parseAndValidate } from "./parse-and-validate";

export const WORKER_THRESHOLD_BYTES = 1024 * 1024;

export async function checkUpload(file: File, kind: CsvKind, options: CheckOptions): Promise<CheckedFile> {
  if (file.size <= WORKER_THRESHOLD_BYTES || typeof Worker === "undefined") {
    return parseAndValidate(file, kind, options);
  }
  const worker = new Worker(new URL("./csv-parse.worker.ts", import.meta.url), { type: "module" });
  try {
    return await new Promise<CheckedFile>((resolve) => {
      worker.addEventListener("message", (event: MessageEvent<ParseResponse>) => resolve(event.data));
      worker.addEventListener("error", () => {
        // A worker that cannot start (an old browser, a blocked script): parse here instead.
        resolve(parseAndValidate(file, kind, options));
      });
      const request: ParseRequest = { file, kind, options };
      worker.postMessage(request);
    });
  } finally {
    worker.terminate();
  }
}
