import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditEvents, type CANCELLATION_MODES, type cancellations } from "@/db/schema";
import { enqueueChannelNotifications } from "@/lib/outbox/enqueue";
import { fail, ok, type Result } from "../errors";
import { cancellableOf } from "../quantities";
import type { CancelPlan, ChannelPolicy, PlannedLine } from "../rules";
import { loadActiveReasons, loadCancelTargets, loadPlannedLines } from "./load-lines";
import type { CancelContext } from "./types";

export type CancellationMode = (typeof CANCELLATION_MODES)[number];

export type CancelRequest = {
  subOrderId: string;
  mode: CancellationMode;
  /**
   * The pure rule that decides what this request takes from the sub-order's current lines, under
   * its channel's policy.
   */
  plan: (lines: PlannedLine[], policy: ChannelPolicy) => Result<CancelPlan>;
  context: CancelContext;
};

export type RecordedCancellation = {
  cancellationId: string;
  subOrderId: string;
  reasonCode: string;
  /** The reason's label: what a warehouse's free-text reason gets. */
  reasonText: string;
  batchId: string | null;
  plan: CancelPlan;
  /** PENDING: units reserved, the warehouse must still agree. CONFIRMED: done. */
  status: "PENDING" | "CONFIRMED";
  /** Units of the sub-order stay open after this one: the warehouse is asked for part of the order. */
  partial: boolean;
  warehouse: { id: string; connector: string; externalId: string | null };
};

export type RecordOptions = {
  /** Every warehouse is asked, manual ones included (tests and the bench replace the gate). */
  forceGate?: boolean;
  /**
   * The warehouse already agreed, so nobody asks it: the cancellation is confirmed at once. Only
   * for fill-or-kill, where the warehouse's own shipment event closes the line.
   */
  warehouseAgreed?: boolean;
  lockRows?: boolean;
  /**
   * How long the caller keeps the right to ask the warehouse about what it records (it asks at
   * once itself). 0, the default, leaves the asking to the background asker, which takes entries
   * as soon as they are due.
   */
  claimMs?: number;
};

/**
 * Checks and records any number of cancellations inside the caller's transaction, with a
 * fixed number of statements whatever their count: lock every line involved (in id order,
 * so concurrent callers queue instead of deadlocking), apply the pure rules request by
 * request against the locked state (a later request on the same sub-order sees the earlier
 * one), then write all ledger entries and line totals set-based. Each request gets its own
 * exact result; a refused request writes nothing.
 */
export async function recordCancellations(
  tx: Tx,
  requests: CancelRequest[],
  options: RecordOptions = {},
): Promise<Result<RecordedCancellation>[]> {
  if (requests.length === 0) return [];
  const subOrderIds = [...new Set(requests.map((r) => r.subOrderId))];

  const targets = await loadCancelTargets(tx, subOrderIds);

  const activeReasons = await loadActiveReasons(tx);
  const linesOf: Map<string, PlannedLine[]> = await loadPlannedLines(tx, subOrderIds, {
    lock: options.lockRows !== false,
  });

  const results: Result<RecordedCancellation>[] = [];
  const entries: (typeof cancellations.$inferInsert & { id: string })[] = [];
  const entryLines: { cancellationId: string; lineItemId: number; quantity: number }[] = [];
  const deltas = new Map<number, { cancelled: number; pending: number }>();
  const audits: (typeof auditEvents.$inferInsert)[] = [];
  const now = new Date();

  for (const request of requests) {
    const result = checkRequest(request);
    const audit = request.context.audit;
    if (audit) {
      const { source, reasonCode } = request.context;
      audits.push({
        actorType: request.context.actor.type,
        actorId: request.context.actor.id,
        actorLabel: audit.label.slice(0, 320),
        sourceIp: audit.sourceIp,
        action: "cancellation.cancel",
        target: request.subOrderId.slice(0, 200),
        outcome: result.ok ? "success" : "failure",
        detail: result.ok
          ? {
              source,
              mode: request.mode,
              reasonCode,
              units: result.value.plan.units,
              cancellationId: result.value.cancellationId,
              // PENDING: reserved; the warehouse's answer follows as cancellation.resolve.
              status: result.value.status,
            }
          : {
              source,
              mode: request.mode,
              reasonCode,
              code: result.error.code,
              message: result.error.message,
            },
      });
    }
    results.push(result);
  }

  function checkRequest(request: CancelRequest): Result<RecordedCancellation> {
    const target = targets.get(request.subOrderId);
    if (!target) return fail("SUB_ORDER_NOT_FOUND", { subOrderId: request.subOrderId });
    const { warehouse } = target;
    if (!activeReasons.has(request.context.reasonCode)) {
      return fail("REASON_NOT_FOUND", { reasonCode: request.context.reasonCode });
    }
    const lines = linesOf.get(request.subOrderId) ?? [];
    // A gate put in place of the warehouse's connector (tests, the bench) decides what it takes:
    // the connector's own limits (whole orders only) do not apply to it.
    const policy = options.forceGate ? { ...target.policy, wholeOrdersOnlyAt: null } : target.policy;
    const checked = request.plan(lines, policy);
    if (!checked.ok) return checked;
    const asksWarehouse = options.forceGate || warehouse.connector !== "manual";
    const status = asksWarehouse && !options.warehouseAgreed ? "PENDING" : "CONFIRMED";
    // One warehouse call in flight per sub-order: the warehouse sees one question at a time.
    if (status === "PENDING" && lines.some((l) => l.pendingCancel > 0)) {
      return fail("CANCELLATION_IN_PROGRESS", { waitingSubOrderId: request.subOrderId });
    }
    const cancellationId = randomUUID();
    const { actor, source, reasonCode, batchId, requestKey } = request.context;
    const entry: (typeof entries)[number] = {
      id: cancellationId,
      subOrderId: request.subOrderId,
      mode: request.mode,
      status,
      reasonCode,
      source,
      actorType: actor.type,
      actorId: actor.id,
      batchId,
      requestKey,
      resolvedAt: status === "CONFIRMED" ? now : null,
    };
    entries.push(entry);
    for (const planned of checked.value.lines) {
      entryLines.push({ cancellationId, lineItemId: planned.lineItemId, quantity: planned.quantity });
      const delta = deltas.get(planned.lineItemId) ?? { cancelled: 0, pending: 0 };
      const line = lines.find((l) => l.id === planned.lineItemId);
      if (!line)
        throw new Error(`plan names line ${planned.lineItemId}, which is not on ${request.subOrderId}`);
      // Keep the locked state current, so a later request on this sub-order sees this one.
      if (status === "CONFIRMED") {
        delta.cancelled += planned.quantity;
        line.cancelled += planned.quantity;
      } else {
        delta.pending += planned.quantity;
        line.pendingCancel += planned.quantity;
      }
      deltas.set(planned.lineItemId, delta);
    }
    entry.partial = lines.some((l) => cancellableOf(l) > 0 || l.processing > 0);
    return ok({
      cancellationId,
      subOrderId: request.subOrderId,
      reasonCode,
      reasonText: activeReasons.get(reasonCode) ?? reasonCode,
      batchId: batchId ?? null,
      plan: checked.value,
      status,
      warehouse,
      partial: entry.partial,
    });
  }

  if (entries.length > 0) {
    // unnest() inserts: one statement and a handful of array parameters however many rows,
    // several times cheaper than multi-row VALUES for the thousand-row chunks of a batch.
    const column = <K extends keyof (typeof entries)[number]>(key: K) => entries.map((e) => e[key] ?? null);
    await tx.execute(sql`
      INSERT INTO cancellations (id, sub_order_id, mode, status, reason_code, source, actor_type, actor_id,
                                 batch_id, request_key, partial, resolved_at, next_ask_at)
      SELECT v.*, CASE WHEN v.status = 'PENDING' THEN now() + make_interval(secs => ${(options.claimMs ?? 0) / 1000}::float8) END
        FROM unnest(${sql.param(column("id"))}::uuid[], ${sql.param(column("subOrderId"))}::text[],
                    ${sql.param(column("mode"))}::text[], ${sql.param(column("status"))}::text[],
                    ${sql.param(column("reasonCode"))}::text[], ${sql.param(column("source"))}::text[],
                    ${sql.param(column("actorType"))}::text[], ${sql.param(column("actorId"))}::text[],
                    ${sql.param(column("batchId"))}::text[], ${sql.param(column("requestKey"))}::text[],
                    ${sql.param(column("partial"))}::boolean[],
                    ${sql.param(entries.map((e) => (e.resolvedAt ? now.toISOString() : null)))}::timestamptz[])
             AS v(id, sub_order_id, mode, status, reason_code, source, actor_type, actor_id, batch_id, request_key,
                  partial, resolved_at)`);
    await tx.execute(sql`
      INSERT INTO cancellation_lines (cancellation_id, line_item_id, quantity)
      SELECT * FROM unnest(${sql.param(entryLines.map((l) => l.cancellationId))}::uuid[],
                           ${sql.param(entryLines.map((l) => l.lineItemId))}::int[],
                           ${sql.param(entryLines.map((l) => l.quantity))}::int[])`);
    const ids = [...deltas.keys()];
    await tx.execute(sql`
      UPDATE line_items AS li
         SET cancelled = li.cancelled + v.cancelled,
             pending_cancel = li.pending_cancel + v.pending,
             updated_at = now()
        FROM unnest(${sql.param(ids)}::int[],
                    ${sql.param(ids.map((id) => deltas.get(id)?.cancelled ?? 0))}::int[],
                    ${sql.param(ids.map((id) => deltas.get(id)?.pending ?? 0))}::int[]) AS v(id, cancelled, pending)
       WHERE li.id = v.id`);
    // Only entries whose channel has an API: a chunk for manual channels skips the statement.
    await enqueueChannelNotifications(
      tx,
      entries
        .filter((e) => e.status === "CONFIRMED" && targets.get(e.subOrderId)?.notifiesChannel)
        .map((e) => e.id),
    );
  }
  // In the same transaction: a cancellation is never recorded unaudited, nor audited unrecorded.
  if (audits.length > 0) await tx.insert(auditEvents).values(audits);
  return results;
}
