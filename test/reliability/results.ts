import fs from "node:fs";
import path from "node:path";

/**
 * What one reliability case proved, for the summary table `npm run test:reliability` prints at
 * its end (scripts/reliability.mjs). Every must-be-zero column is also asserted by the case itself;
 * the table fails the run again if a case recorded a non-zero one.
 */
export type CaseResult = {
  /** "crash cycles: 20,000 rows", "hostile CSV: BOM + semicolons", ... */
  case: string;
  /** Kills, dropped connections, 5xx answers, hangs, hostile inputs thrown. */
  faultsInjected?: number;
  /** Rows (or requests) that went through the case. */
  rowsProcessed?: number;
  /** Must be 0: rows without one final outcome, good rows dropped next to bad ones. */
  rowsLost?: number;
  /** Must be 0: an order or line cancelled twice, a fake that saw one order under two keys. */
  doubleCancellations?: number;
  /** Must be 0: units still reserved or entries still pending at the end. */
  stuckReservations?: number;
  /** Must be 0: orders on which the panel and the warehouse (or a channel) disagree. */
  disagreements?: number;
  /** Must be 0: emitted CSV cells that a spreadsheet would run as a formula. */
  unsafeCells?: number;
  /** Must be 0: answers with a 5xx status (or an unhandled error in an action). */
  serverErrors?: number;
  /** Latency under load, where the case measures it. */
  p50Ms?: number;
  p99Ms?: number;
};

export const MUST_BE_ZERO = [
  "rowsLost",
  "doubleCancellations",
  "stuckReservations",
  "disagreements",
  "unsafeCells",
  "serverErrors",
] as const satisfies readonly (keyof CaseResult)[];

/** Where results go: set by scripts/reliability.mjs; unset (plain `vitest run`), nothing is written. */
export function resultsFile(): string | undefined {
  return process.env.RELIABILITY_RESULTS || undefined;
}

/** Appends one case's figures to the run's results (one JSON object per line). */
export function recordCase(result: CaseResult): void {
  const file = resultsFile();
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
}
