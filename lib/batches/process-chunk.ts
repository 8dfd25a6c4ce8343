import "server-only";
import { sql } from "drizzle-orm";
import { type Db, needsRowLocks, type Tx } from "@/db/client";
import type { ErrorCode } from "@/lib/cancellation/errors";
import { recordCancellations } from "@/lib/cancellation/service/record-cancellations";
import { completeBatches } from "@/lib/cancellation/service/resolve-reservations";
import { type ClaimedItem, itemCancelRequest } from "./item-request";
import type { BatchMode } from "./types";

export type ChunkOptions = {
  /** Items claimed and applied per transaction. */
  chunkSize?: number;
  /** Every warehouse is asked, manual ones included (set when tests and the bench replace the gate). */
  forceGate?: boolean;
  /** A sub-order busy with another cancellation is retried this many times before it fails. */
  maxAttempts?: number;
  /** Only these items (a failed chunk's items, one at a time). */
  itemIds?: number[];
};

const DEFAULTS = { chunkSize: 500, maxAttempts: 20 };

/** A chunk that failed after claiming: its items, so each can be retried alone and blamed alone. */
export class ChunkFailure extends Error {
  constructor(
    readonly itemIds: number[],
    readonly cause: unknown,
  ) {
    super(
      `a chunk of ${itemIds.length} items failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

type ItemUpdate = {
  id: number;
  status: "PENDING" | "SUCCESS" | "ERROR";
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  units: number | null;
  cancellationId: string | null;
  /** Seconds from now until the item may be claimed again (PENDING without an entry only). */
  retryInSeconds: number | null;
};

/** The oldest started batch that has items a worker may take now, or null. */
export async function findRunnableBatch(db: Db): Promise<string | null> {
  const found = await db.execute<{ id: string }>(sql`
    SELECT b.id FROM batches b
     WHERE b.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM batch_items bi
                    WHERE bi.batch_id = b.id AND bi.status = 'PENDING' AND bi.cancellation_id IS NULL
                      AND (bi.lease_until IS NULL OR bi.lease_until < now()))
     ORDER BY b.started_at, b.id
     LIMIT 1`);
  return found.rows[0]?.id ?? null;
}

/**
 * Claims up to `chunkSize` items of a batch that hold no ledger entry yet (FOR UPDATE SKIP
 * LOCKED, so any number of workers share a batch without taking the same item) and applies them
 * in one transaction with a result per item. Items on a manual warehouse finish here; items
 * whose warehouse must agree are reserved here and stay PENDING with their ledger entry, which
 * the warehouse asker takes at once (their rows follow the answer). Returns the items claimed.
 * Throws a ChunkFailure naming the claimed items when anything goes wrong after the claim: the
 * transaction rolled back, so nothing of it happened.
 */
export async function processChunk(db: Db, batchId: string, options: ChunkOptions = {}): Promise<number> {
  const settings = { ...DEFAULTS, ...options };
  await db.execute(
    sql`UPDATE batches SET status = 'running', updated_at = now() WHERE id = ${batchId} AND status = 'queued'`,
  );
  const claimed = await db.transaction((tx) => applyClaimedItems(tx, batchId, settings, needsRowLocks(db)));
  await completeBatches(db, [batchId]);
  return claimed;
}

async function applyClaimedItems(
  tx: Tx,
  batchId: string,
  settings: typeof DEFAULTS & ChunkOptions,
  lockRows: boolean,
): Promise<number> {
  // A plain read: locking the batch row here would serialise every worker on it.
  const batch = await tx.execute<{
    mode: BatchMode;
    reason_code: string;
    created_by_type: "user" | "api_key" | "system";
    created_by_id: string;
  }>(sql`
    SELECT mode, reason_code, coalesce(started_by_type, created_by_type) AS created_by_type,
           coalesce(started_by_id, created_by_id) AS created_by_id
      FROM batches WHERE id = ${batchId}`);
  const info = batch.rows[0];
  if (!info) throw new Error(`batch ${batchId} does not exist`);

  const claimed = await tx.execute<{
    id: number;
    sub_order_id: string;
    reason_code: string;
    attempts: number;
  }>(
    sql`
    SELECT id, sub_order_id, coalesce(reason_code, ${info.reason_code}) AS reason_code, attempts FROM batch_items
     WHERE batch_id = ${batchId} AND status = 'PENDING' AND cancellation_id IS NULL
       AND (lease_until IS NULL OR lease_until < now())
       ${settings.itemIds ? sql`AND id = ANY(${sql.param(settings.itemIds)}::int[])` : sql``}
     ORDER BY seq
     LIMIT ${settings.chunkSize}
     ${lockRows ? sql`FOR UPDATE SKIP LOCKED` : sql``}`,
  );
  if (claimed.rows.length === 0) return 0;
  try {
    await applyItems(tx, batchId, info, claimed.rows, settings, lockRows);
  } catch (error) {
    throw new ChunkFailure(
      claimed.rows.map((r) => r.id),
      error,
    );
  }
  return claimed.rows.length;
}

async function applyItems(
  tx: Tx,
  batchId: string,
  info: { mode: BatchMode; created_by_type: "user" | "api_key" | "system"; created_by_id: string },
  claimed: { id: number; sub_order_id: string; reason_code: string; attempts: number }[],
  settings: typeof DEFAULTS & ChunkOptions,
  lockRows: boolean,
): Promise<void> {
  const linesByItem = new Map<number, { sku: string; quantity: number }[]>();
  if (info.mode === "line_items") {
    const rows = await tx.execute<{ item_id: number; sku: string; quantity: number }>(sql`
      SELECT item_id, sku, quantity FROM batch_rows
       WHERE item_id = ANY(${sql.param(claimed.map((r) => r.id))}::int[]) ORDER BY row_number`);
    for (const row of rows.rows) {
      const list = linesByItem.get(row.item_id) ?? [];
      list.push({ sku: row.sku, quantity: row.quantity });
      linesByItem.set(row.item_id, list);
    }
  }
  const items: (ClaimedItem & { attempts: number })[] = claimed.map((r) => ({
    itemId: r.id,
    batchId,
    subOrderId: r.sub_order_id,
    reasonCode: r.reason_code,
    mode: info.mode,
    actor: { type: info.created_by_type, id: info.created_by_id },
    lines: linesByItem.get(r.id) ?? [],
    attempts: r.attempts,
  }));

  const results = await recordCancellations(
    tx,
    items.map((item) => itemCancelRequest(item)),
    { forceGate: settings.forceGate, lockRows },
  );
  const updates = items.map((item, index): ItemUpdate => {
    const result = results[index];
    if (!result) throw new Error("recordCancellations returned fewer results than requests");
    if (result.ok) {
      const { status, cancellationId, plan } = result.value;
      // PENDING: reserved; the asker takes the entry now and the row follows its answer.
      return status === "PENDING"
        ? update(item.itemId, "PENDING", null, null, cancellationId)
        : update(item.itemId, "SUCCESS", null, plan.units, cancellationId);
    }
    if (result.error.code === "CANCELLATION_IN_PROGRESS" && item.attempts + 1 < settings.maxAttempts) {
      // Another cancellation of this sub-order waits for its warehouse: try again shortly.
      return {
        ...update(item.itemId, "PENDING", null, null, null),
        retryInSeconds: 2 ** Math.min(item.attempts, 5),
      };
    }
    return update(item.itemId, "ERROR", result.error, null, null);
  });
  await writeItemUpdates(tx, updates);
}

function update(
  id: number,
  status: ItemUpdate["status"],
  error: { code: ErrorCode; message: string } | null,
  units: number | null,
  cancellationId: string | null,
): ItemUpdate {
  return {
    id,
    status,
    errorCode: error?.code ?? null,
    errorMessage: error?.message ?? null,
    units,
    cancellationId,
    retryInSeconds: null,
  };
}

async function writeItemUpdates(tx: Tx, updates: ItemUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.execute(sql`
    UPDATE batch_items AS bi
       SET status = v.status,
           error_code = v.error_code,
           error_message = v.error_message,
           units_cancelled = v.units,
           cancellation_id = v.cancellation_id,
           lease_until = CASE WHEN v.retry_in IS NULL THEN NULL ELSE now() + make_interval(secs => v.retry_in) END,
           attempts = bi.attempts + 1,
           processed_at = CASE WHEN v.status = 'PENDING' THEN NULL ELSE now() END,
           updated_at = now()
      FROM unnest(${sql.param(updates.map((u) => u.id))}::int[],
                  ${sql.param(updates.map((u) => u.status))}::text[],
                  ${sql.param(updates.map((u) => u.errorCode))}::text[],
                  ${sql.param(updates.map((u) => u.errorMessage))}::text[],
                  ${sql.param(updates.map((u) => u.units))}::int[],
                  ${sql.param(updates.map((u) => u.cancellationId))}::uuid[],
                  ${sql.param(updates.map((u) => u.retryInSeconds))}::float8[])
           AS v(id, status, error_code, error_message, units, cancellation_id, retry_in)
     WHERE bi.id = v.id`);
}

/**
 * Records an item that cannot be processed (its chunk keeps failing on it alone) as an internal
 * error, by its own id: nothing was cancelled for it, since its transaction rolled back.
 */
export async function failItem(db: Db, itemId: number): Promise<void> {
  await db.execute(sql`
    UPDATE batch_items SET status = 'ERROR', error_code = 'INTERNAL_ERROR',
           error_message = 'Unexpected error while cancelling; nothing was cancelled for this row. Try it again.',
           processed_at = now(), updated_at = now(), attempts = attempts + 1
     WHERE id = ${itemId} AND status = 'PENDING' AND cancellation_id IS NULL`);
}
