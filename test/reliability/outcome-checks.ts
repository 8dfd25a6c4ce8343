/**
 * What the crash-cycles and unknown-outcomes cases share: an API key to upload files with, the
 * upload through the web process's REST API, and the questions asked of the database and the
 * fakes once a run has settled (every row's outcome, entries per order, keys per order).
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { TEST_REASON } from "@/test/fixtures";
import type { FakeReport } from "./fakes-process";

/** An integration's API key (read + cancel), made by an admin of its own. */
export async function createUploadKey(db: Db): Promise<string> {
  await db
    .insert(users)
    .values({
      id: "reliability-admin",
      name: "Reliability Admin",
      email: "reliability@example.test",
      role: "admin",
    })
    .onConflictDoNothing();
  const { secret } = await createApiKey(
    { name: "Reliability ERP", scopes: ["read", "cancel"], createdBy: "reliability-admin" },
    db,
  );
  return secret;
}

/** POST /api/v1/cancellation-batches?start=true with `csv` as the body; the new batch's id. */
export async function uploadAndStart(
  webUrl: string,
  apiKey: string,
  file: { kind: "sub_orders" | "line_items"; fileName: string; csv: string },
): Promise<{ batchId: string; totalRows: number }> {
  const query = new URLSearchParams({
    kind: file.kind,
    reasonCode: TEST_REASON,
    fileName: file.fileName,
    start: "true",
  });
  const response = await fetch(`${webUrl}/api/v1/cancellation-batches?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "text/csv" },
    body: file.csv,
  });
  const text = await response.text();
  if (response.status !== 202) {
    throw new Error(`upload of ${file.fileName} answered ${response.status}: ${text.slice(0, 2_000)}`);
  }
  const body = JSON.parse(text) as { data: { batch: { id: string; totalRows: number; status: string } } };
  if (body.data.batch.status === "draft") {
    throw new Error(`${file.fileName} was not started: ${body.data.batch.status}`);
  }
  return { batchId: body.data.batch.id, totalRows: body.data.batch.totalRows };
}

/** Each uploaded row's outcome, by status (its item's status: a line-item group succeeds or fails whole). */
export async function rowStatuses(db: Db, batchIds: readonly string[]): Promise<Record<string, number>> {
  const result = await db.execute<{ status: string; n: number }>(sql`
    SELECT bi.status, count(*)::int AS n FROM batch_rows br JOIN batch_items bi ON bi.id = br.item_id
     WHERE br.batch_id = ANY(${sql.param([...batchIds])}::uuid[])
     GROUP BY bi.status ORDER BY bi.status`);
  return Object.fromEntries(result.rows.map((r) => [r.status, r.n]));
}

/** Where the run stands: items without an outcome, entries waiting for a warehouse, notifications not sent. */
export async function openWork(
  db: Db,
  batchIds: readonly string[],
): Promise<{ openItems: number; pendingEntries: number; undelivered: number; completedBatches: number }> {
  const result = await db.execute<{
    open_items: number;
    pending_entries: number;
    undelivered: number;
    completed_batches: number;
  }>(sql`
    SELECT (SELECT count(*)::int FROM batch_items
             WHERE batch_id = ANY(${sql.param([...batchIds])}::uuid[]) AND status IN ('PENDING', 'WAITING')) AS open_items,
           (SELECT count(*)::int FROM cancellations WHERE status = 'PENDING') AS pending_entries,
           (SELECT count(*)::int FROM channel_notifications WHERE state IN ('pending', 'retrying')) AS undelivered,
           (SELECT count(*)::int FROM batches
             WHERE id = ANY(${sql.param([...batchIds])}::uuid[]) AND status = 'completed') AS completed_batches`);
  const row = result.rows[0];
  if (!row) throw new Error("no answer");
  return {
    openItems: row.open_items,
    pendingEntries: row.pending_entries,
    undelivered: row.undelivered,
    completedBatches: row.completed_batches,
  };
}

/**
 * Sub-orders cancelled twice: more than one CONFIRMED whole-sub-order entry, or lines whose
 * cancelled units exceed what was ordered.
 */
export async function doublyCancelledSubOrders(db: Db): Promise<string[]> {
  const result = await db.execute<{ sub_order_id: string }>(sql`
    SELECT sub_order_id FROM cancellations WHERE status = 'CONFIRMED' AND mode <> 'line_items'
     GROUP BY sub_order_id HAVING count(*) > 1
    UNION
    SELECT sub_order_id FROM line_items WHERE cancelled + pending_cancel > ordered
    ORDER BY 1`);
  return result.rows.map((r) => r.sub_order_id);
}

/** Every order number the fake WMS was asked about, with the idempotency keys it was asked under. */
export function wmsKeysPerOrder(report: FakeReport): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const request of report.requests) {
    const body = request.body as { data?: { cancellation?: { order_no?: string } } } | undefined;
    const orderNo = body?.data?.cancellation?.order_no;
    if (!orderNo) continue;
    const seen = keys.get(orderNo) ?? new Set<string>();
    seen.add(request.idempotencyKey ?? "(none)");
    keys.set(orderNo, seen);
  }
  return keys;
}

/** Orders the fake WMS saw under more (or fewer) than one key. */
export function ordersUnderSeveralKeys(report: FakeReport): string[] {
  return [...wmsKeysPerOrder(report)]
    .filter(([, keys]) => keys.size !== 1 || keys.has("(none)"))
    .map(([order]) => order)
    .sort();
}

/** The sub-orders with a CONFIRMED entry on `warehouseId`, and those whose batch row failed. */
export async function panelVerdicts(
  db: Db,
  batchIds: readonly string[],
  warehouseId: string,
): Promise<{ confirmed: Set<string>; failed: Map<string, string> }> {
  const confirmed = await db.execute<{ sub_order_id: string }>(sql`
    SELECT DISTINCT c.sub_order_id FROM cancellations c JOIN sub_orders so ON so.id = c.sub_order_id
     WHERE c.status = 'CONFIRMED' AND so.warehouse_id = ${warehouseId}`);
  const failed = await db.execute<{ sub_order_id: string; error_code: string }>(sql`
    SELECT bi.sub_order_id, bi.error_code FROM batch_items bi JOIN sub_orders so ON so.id = bi.sub_order_id
     WHERE bi.batch_id = ANY(${sql.param([...batchIds])}::uuid[]) AND bi.status = 'ERROR'
       AND so.warehouse_id = ${warehouseId}`);
  return {
    confirmed: new Set(confirmed.rows.map((r) => r.sub_order_id)),
    failed: new Map(failed.rows.map((r) => [r.sub_order_id, r.error_code])),
  };
}

/**
 * As autovacuum would after a run this size: without statistics the planner takes the freshly
 * written ledger for a few rows, and ledgerReport's per-line sums took over a minute on 20,000 rows.
 */
export async function analyzeAfterRun(db: Db): Promise<void> {
  await db.execute(
    sql`ANALYZE cancellations, cancellation_lines, line_items, batch_items, batch_rows, channel_notifications`,
  );
}

/** Elements of `a` not in `b`. */
export function missingFrom<T>(a: Iterable<T>, b: ReadonlySet<T>): T[] {
  return [...a].filter((x) => !b.has(x));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
