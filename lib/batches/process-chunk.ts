import "server-only";
import { sql } from "drizzle-orm";
import { type Db, needsRowLocks, type Tx } from "@/db/client";
import type { ErrorCode } from "@/lib/cancellation/errors";
import {
  askWarehouse,
  failureOf,
  type Resolution,
  resolveReservations,
} from "@/lib/cancellation/service/apply-cancellation";
import type { RecordedCancellation } from "@/lib/cancellation/service/record-cancellations";
import { recordCancellations } from "@/lib/cancellation/service/record-cancellations";
import { loadReservation } from "@/lib/cancellation/service/recover-pending";
import type { WarehouseGate } from "@/lib/cancellation/service/warehouse-gate";
import { resolveWarehouseGate } from "@/lib/connectors/registry";
import { type ClaimedItem, itemCancelRequest } from "./item-request";
import type { BatchMode } from "./types";

export type ChunkOptions = {
  /** Items claimed and applied per transaction. */
  chunkSize?: number;
  /** Replaces every warehouse's configured gate (tests). */
  gate?: WarehouseGate;
  /** Warehouse calls in flight at once, per chunk. */
  gateConcurrency?: number;
  /** How long a gated item is held while its warehouse is asked; after a crash it is taken again. */
  leaseMs?: number;
  /** A sub-order busy with another cancellation is retried this many times before it fails. */
  maxAttempts?: number;
};

const DEFAULTS = { chunkSize: 500, gateConcurrency: 16, leaseMs: 120_000, maxAttempts: 20 };

type ItemUpdate = {
  id: number;
  status: "PENDING" | "SUCCESS" | "ERROR";
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  units: number | null;
  cancellationId: string | null;
  /** Seconds from now until the item may be claimed again (PENDING only). */
  retryInSeconds: number | null;
};

type GateJob = { item: ClaimedItem; recorded: RecordedCancellation };

/** The oldest started batch that has work a worker may take now, or null. */
export async function findRunnableBatch(db: Db): Promise<string | null> {
  const found = await db.execute<{ id: string }>(sql`
    SELECT b.id FROM batches b
     WHERE b.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM batch_items bi
                    WHERE bi.batch_id = b.id AND bi.status = 'PENDING'
                      AND (bi.lease_until IS NULL OR bi.lease_until < now()))
     ORDER BY b.started_at, b.id
     LIMIT 1`);
  return found.rows[0]?.id ?? null;
}

/**
 * Claims up to `chunkSize` pending items of a batch (FOR UPDATE SKIP LOCKED, so any number
 * of workers share a batch without taking the same item), applies them in one transaction
 * with per-item results, and stores each result with its cancellation. Items whose warehouse
 * must be asked are reserved here and resolved after the commit. Returns the items finished.
 */
export async function processChunk(db: Db, batchId: string, options: ChunkOptions = {}): Promise<number> {
  const settings = { ...DEFAULTS, ...options };
  await db.execute(
    sql`UPDATE batches SET status = 'running', updated_at = now() WHERE id = ${batchId} AND status = 'queued'`,
  );
  const lockRows = needsRowLocks(db);
  const { finished, gateJobs } = await db.transaction((tx) =>
    applyClaimedItems(tx, batchId, settings, lockRows),
  );
  const gated = await resolveGateJobs(db, gateJobs, settings);
  await completeBatchIfDone(db, batchId);
  return finished + gated;
}

async function applyClaimedItems(
  tx: Tx,
  batchId: string,
  settings: typeof DEFAULTS & ChunkOptions,
  lockRows: boolean,
) {
  // A plain read: locking the batch row here would serialise every worker on it.
  const batch = await tx.execute<{
    mode: BatchMode;
    created_by_type: "user" | "api_key" | "system";
    created_by_id: string;
  }>(sql`SELECT mode, created_by_type, created_by_id FROM batches WHERE id = ${batchId}`);
  const info = batch.rows[0];
  if (!info) throw new Error(`batch ${batchId} does not exist`);

  const claimed = await tx.execute<{
    id: number;
    sub_order_id: string;
    reason_code: string;
    cancellation_id: string | null;
    attempts: number;
  }>(sql`
    SELECT id, sub_order_id, reason_code, cancellation_id, attempts FROM batch_items
     WHERE batch_id = ${batchId} AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < now())
     ORDER BY seq
     LIMIT ${settings.chunkSize}
     ${lockRows ? sql`FOR UPDATE SKIP LOCKED` : sql``}`);
  if (claimed.rows.length === 0) return { finished: 0, gateJobs: [] as GateJob[] };

  const linesByItem = new Map<number, { sku: string; quantity: number }[]>();
  if (info.mode === "line_items") {
    const rows = await tx.execute<{ item_id: number; sku: string; quantity: number }>(sql`
      SELECT item_id, sku, quantity FROM batch_rows
       WHERE item_id = ANY(${sql.param(claimed.rows.map((r) => r.id))}::int[]) ORDER BY row_number`);
    for (const row of rows.rows) {
      const list = linesByItem.get(row.item_id) ?? [];
      list.push({ sku: row.sku, quantity: row.quantity });
      linesByItem.set(row.item_id, list);
    }
  }
  const items: (ClaimedItem & { attempts: number; cancellationId: string | null })[] = claimed.rows.map(
    (r) => ({
      itemId: r.id,
      batchId,
      subOrderId: r.sub_order_id,
      reasonCode: r.reason_code,
      mode: info.mode,
      actor: { type: info.created_by_type, id: info.created_by_id },
      lines: linesByItem.get(r.id) ?? [],
      attempts: r.attempts,
      cancellationId: r.cancellation_id,
    }),
  );

  const updates: ItemUpdate[] = [];
  const gateJobs: GateJob[] = [];
  const fresh = items.filter((i) => i.cancellationId === null);
  const results = await recordCancellations(
    tx,
    fresh.map((item) => itemCancelRequest(item)),
    { forceGate: settings.gate !== undefined, lockRows },
  );
  fresh.forEach((item, index) => {
    const result = results[index];
    if (!result) throw new Error("recordCancellations returned fewer results than requests");
    if (result.ok && result.value.status === "PENDING") {
      gateJobs.push({ item, recorded: result.value });
      updates.push(pending(item.itemId, result.value.cancellationId, settings.leaseMs / 1000));
    } else if (result.ok) {
      updates.push(done(item.itemId, "SUCCESS", null, result.value.plan.units, result.value.cancellationId));
    } else if (result.error.code === "CANCELLATION_IN_PROGRESS" && item.attempts + 1 < settings.maxAttempts) {
      // Another cancellation of this sub-order waits for its warehouse: try again shortly.
      updates.push(pending(item.itemId, null, 2 ** Math.min(item.attempts, 5)));
    } else {
      updates.push(done(item.itemId, "ERROR", result.error, null, null));
    }
  });

  // Items that already hold a ledger entry were reserved by a worker that stopped: finish them.
  const recovering = items.filter((i) => i.cancellationId !== null);
  if (recovering.length > 0) {
    const entries = await tx.execute<{
      id: string;
      status: "PENDING" | "CONFIRMED" | "REJECTED";
      error_code: ErrorCode | null;
      error_message: string | null;
      units: number;
    }>(sql`
      SELECT c.id, c.status, c.error_code, c.error_message, coalesce(sum(cl.quantity), 0)::int AS units
        FROM cancellations c LEFT JOIN cancellation_lines cl ON cl.cancellation_id = c.id
       WHERE c.id = ANY(${sql.param(recovering.map((i) => i.cancellationId))}::uuid[])
       GROUP BY c.id`);
    const entryById = new Map(entries.rows.map((e) => [e.id, e]));
    for (const item of recovering) {
      const entry = item.cancellationId ? entryById.get(item.cancellationId) : undefined;
      if (!entry) throw new Error(`batch item ${item.itemId} points at a missing ledger entry`);
      if (entry.status === "CONFIRMED")
        updates.push(done(item.itemId, "SUCCESS", null, entry.units, entry.id));
      else if (entry.status === "REJECTED") {
        const error = {
          code: entry.error_code ?? "DOWNSTREAM_REJECTED",
          message: entry.error_message ?? "Refused downstream",
        };
        updates.push(done(item.itemId, "ERROR", error, null, entry.id));
      } else {
        gateJobs.push({ item, recorded: await loadReservation(tx, entry.id) });
        updates.push(pending(item.itemId, entry.id, settings.leaseMs / 1000));
      }
    }
  }
  await writeItemUpdates(tx, updates);
  return { finished: updates.filter((u) => u.status !== "PENDING").length, gateJobs };
}

function done(
  id: number,
  status: "SUCCESS" | "ERROR",
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

function pending(id: number, cancellationId: string | null, retryInSeconds: number): ItemUpdate {
  return {
    id,
    status: "PENDING",
    errorCode: null,
    errorMessage: null,
    units: null,
    cancellationId,
    retryInSeconds,
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
           cancellation_id = coalesce(v.cancellation_id, bi.cancellation_id),
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

/** Asks the warehouses, at most `gateConcurrency` at once, and records each answer with its item. */
async function resolveGateJobs(
  db: Db,
  jobs: GateJob[],
  settings: typeof DEFAULTS & ChunkOptions,
): Promise<number> {
  // Answers are recorded in small groups, one transaction each, while the next calls are
  // already in flight: the warehouse's latency, not our round trips, bounds the pace.
  const answered: { job: GateJob; failure: ReturnType<typeof failureOf> }[] = [];
  let recording: Promise<unknown> = Promise.resolve();
  const record = () => {
    const group = answered.splice(0);
    if (group.length === 0) return recording;
    recording = recording.then(() =>
      resolveReservations(
        db,
        group.map(({ job, failure }) => ({ cancellationId: job.recorded.cancellationId, failure })),
        (tx, resolutions) =>
          writeItemUpdates(
            tx,
            group.map(({ job }) => itemResult(job, resolutions)),
          ),
      ),
    );
    return recording;
  };
  const timer = setInterval(() => void record(), 100);
  let next = 0;
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const gate = settings.gate ?? (await resolveWarehouseGate(db, job.recorded.warehouse.id));
      const answer = await askWarehouse(gate, job.recorded, job.item.reasonCode).catch((error: unknown) => ({
        kind: "unavailable" as const,
        message: `Warehouse call failed: ${error instanceof Error ? error.message : String(error)}`,
      }));
      answered.push({ job, failure: failureOf(answer) });
      if (answered.length >= Math.min(32, settings.gateConcurrency)) void record();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(settings.gateConcurrency, jobs.length) }, worker));
    await record();
  } finally {
    clearInterval(timer);
  }
  await recording;
  return jobs.length;
}

function itemResult(job: GateJob, resolutions: Map<string, Resolution>): ItemUpdate {
  const { cancellationId, plan } = job.recorded;
  const resolution = resolutions.get(cancellationId);
  if (resolution?.status === "CONFIRMED")
    return done(job.item.itemId, "SUCCESS", null, plan.units, cancellationId);
  return done(
    job.item.itemId,
    "ERROR",
    {
      code: resolution?.errorCode ?? "DOWNSTREAM_REJECTED",
      message: resolution?.errorMessage ?? "Refused downstream",
    },
    null,
    cancellationId,
  );
}

/** A batch is complete when no item is PENDING; safe to call from any worker, any time. */
export async function completeBatchIfDone(db: Db, batchId: string): Promise<boolean> {
  const completed = await db.execute(sql`
    UPDATE batches SET status = 'completed', finished_at = now(), updated_at = now()
     WHERE id = ${batchId} AND status IN ('queued', 'running')
       AND NOT EXISTS (SELECT 1 FROM batch_items WHERE batch_id = ${batchId} AND status = 'PENDING')
    RETURNING id`);
  return completed.rows.length > 0;
}
