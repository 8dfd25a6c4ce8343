import type { AuditEventRow } from "@/db/queries/audit";
import { formatCsvRow, UTF8_BOM } from "@/lib/csv/error-csv";

export const AUDIT_CSV_HEADER = [
  "At (UTC)",
  "Actor Type",
  "Actor ID",
  "Actor",
  "Source IP",
  "Action",
  "Target",
  "Outcome",
  "Detail",
] as const;

export function auditCsvCells(row: AuditEventRow): string[] {
  return [
    row.at.toISOString(),
    row.actorType,
    row.actorId ?? "",
    row.actorLabel,
    row.sourceIp ?? "",
    row.action,
    row.target ?? "",
    row.outcome,
    row.detail ? JSON.stringify(row.detail) : "",
  ];
}

const CHUNK_CHARS = 64 * 1024;

/**
 * The audit CSV as ~64 KB string chunks, BOM and header first. Every cell goes through the error
 * CSV's formula-safe writer: an actor label typed at the sign-in form (`=HYPERLINK(...)`) reaches
 * a spreadsheet as text.
 */
export async function* auditCsvChunks(
  rows: AsyncIterable<AuditEventRow> | Iterable<AuditEventRow>,
): AsyncGenerator<string, void, undefined> {
  let chunk = UTF8_BOM + formatCsvRow(AUDIT_CSV_HEADER);
  for await (const row of rows) {
    chunk += formatCsvRow(auditCsvCells(row));
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** `auditCsvChunks` as a byte stream that reads rows only as fast as the client downloads. */
export function auditCsvStream(
  rows: AsyncIterable<AuditEventRow> | Iterable<AuditEventRow>,
): ReadableStream<Uint8Array> {
  const chunks = auditCsvChunks(rows);
  const encoder = new TextEncoder();
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: IteratorResult<string, void>;
      try {
        next = await chunks.next();
      } catch (error) {
        console.error("[audit-csv] export failed while streaming", error);
        if (!cancelled) controller.error(error);
        return;
      }
      if (cancelled) return;
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      cancelled = true;
      await chunks.return(undefined);
    },
  });
}
