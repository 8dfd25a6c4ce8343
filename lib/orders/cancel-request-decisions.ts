import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type DbOrTx, needsRowLocks, type Tx } from "@/db/client";
import type { CANCEL_REQUEST_STATES } from "@/db/schema";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { type CancelError, fail, failed, ok, type Result } from "@/lib/cancellation/errors";
import { cancellableOf } from "@/lib/cancellation/quantities";
import {
  type CancelPlan,
  type ChannelPolicy,
  type LineRequest,
  type PlannedLine,
  planLineItemCancel,
} from "@/lib/cancellation/rules";
import {
  askWarehouseNow,
  INTERACTIVE_CLAIM_MS,
  reservationOf,
} from "@/lib/cancellation/service/ask-warehouse";
import {
  type CancelRequest,
  type RecordedCancellation,
  recordCancellations,
} from "@/lib/cancellation/service/record-cancellations";
import { waitingMessage } from "@/lib/cancellation/service/resolve-reservations";
import type { Actor } from "@/lib/cancellation/service/types";
import { freeText } from "@/lib/validation/text";
import {
  type CancelRequestDecisionPayload,
  enqueueWebhook,
  releaseWebhook,
  withdrawWebhook,
} from "@/lib/webhooks/enqueue";
import {
  type CancelRequestLine,
  type CancelRequestRow,
  type CancelRequestView,
  cancelRequestViewOf,
  readCancelRequest,
} from "./cancel-requests";

export type CancelRequestState = (typeof CANCEL_REQUEST_STATES)[number];

/** How one sub-order of an approved request ended: cancelled, waiting for its warehouse, or refused. */
export type ApproveOutcome = {
  subOrderId: string;
  status: "SUCCESS" | "WAITING" | "ERROR";
  units: number;
  code?: string;
  message?: string;
};

/** The shipment of a shipped warehouse event, for "already shipped, tracking …". */
export type CancelRequestShipment = {
  reference: string;
  carrier: string | null;
  trackingNumber: string | null;
  /** When the event was received (ISO 8601). */
  shippedAt: string;
};

/** A cancel request as the agents' list shows it. */
export type CancelRequestListRow = CancelRequestView & {
  channelName: string;
  /** The order number people read (orders.channel_order_no). */
  orderNumber: string;
  customerName: string;
  /** Seconds since the request arrived. */
  ageSeconds: number;
  /** Our reason's label (the customer's own words are `customerReason`). */
  reasonLabel: string;
  /** Units already fulfilled (shipped) on the order's lines: whether anything has shipped. */
  shipped: number;
  /** The order's latest shipment, if any. */
  shipment: CancelRequestShipment | null;
  /** Who decided, as the trail names them (a user's email, an API key's name); null while open. */
  decidedBy: string | null;
};

/** What a channel reads about its requests through the REST API (no staff identities). */
export type ChannelCancelRequestView = CancelRequestView & { orderNumber: string };

export const DECISION_NOTE_MAX_LENGTH = 500;

/** The note a rejection needs: what the agent tells the channel (and the customer). */
export const decisionNoteSchema = freeText({
  max: DECISION_NOTE_MAX_LENGTH,
  required: "is required to reject a request: say why (e.g. already shipped, with the tracking number)",
});

/** One narrowed line of an approval: the line and how many of its units (the whole line on a whole-lines-only channel). */
export const approveLineSchema = z.object({
  lineItemId: z.number().int().positive(),
  quantity: z.number().int().min(1, "must be at least 1"),
});

const LIST_LIMIT_DEFAULT = 50;
const LIST_LIMIT_MAX = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Approves an open customer cancel request: cancels what it asks for (or the agent's narrower
 * choice) with the customer's reason, through the cancellation service's own steps, and records
 * the decision.
 *
 * One transaction locks the request (a second approval or a rejection waits for it, then finds it
 * decided: REQUEST_ALREADY_DECIDED), checks and reserves every sub-order's cancellation, and, if
 * at least one of them could be recorded, marks the request approved, queues the channel's
 * webhook and audits it: the decision and its cancellations commit together or not at all. The
 * warehouses that must agree are asked afterwards, outside the transaction (DESIGN.md "the flow
 * that keeps this safe"). No answer is not a refusal: that sub-order is WAITING, its units stay
 * reserved, the background asker keeps asking, and the request stays approved. Only when every
 * warehouse asked refuses, so nothing at all was cancelled, is the request opened again (and its
 * webhook, held back until then, withdrawn) for the agent to reject it with a note.
 *
 * Without `lines`, each line asked for loses what can still be cancelled of what the customer
 * asked (every line of the order for a whole-order request; on a whole-lines-only channel only
 * lines that can go whole); a sub-order with nothing left to cancel is an ERROR outcome. With
 * `lines`, exactly those lines and quantities, which must be among the request's lines and not
 * more than it asked; on a whole-lines-only channel each is cancelled whole.
 */
export async function approveCancelRequest(
  db: Db,
  input: {
    id: string;
    /** Narrowed by the agent: lineItemId → quantity (whole line when the channel has whole lines only). Omitted: what the request asked for. */
    lines?: { lineItemId: number; quantity: number }[];
    actor: Actor;
    audit?: ChangeAudit;
  },
): Promise<Result<{ request: CancelRequestView; outcomes: ApproveOutcome[] }>> {
  const narrowed = checkNarrowedShape(input.lines);
  if (!narrowed.ok) return narrowed;
  if (!UUID.test(input.id)) return fail("REQUEST_NOT_FOUND", { id: input.id });

  const decision = await db.transaction(async (tx) => {
    const locked = await lockOpenRequest(tx, input.id);
    if (!locked.ok) return locked;
    const request = locked.value;
    const orderLines = await loadOrderLines(tx, request.orderId);
    const wanted = wantedBySubOrder(request, orderLines, input.lines);
    if (!wanted.ok) return wanted;

    const context = {
      actor: input.actor,
      source: "single" as const,
      reasonCode: request.reasonCode,
      audit: input.audit,
    };
    const requests: CancelRequest[] = [...wanted.value].map(([subOrderId, wants]) => ({
      subOrderId,
      mode: "line_items",
      context,
      plan: (current, policy) => planRequested(subOrderId, current, wants, policy, input.lines !== undefined),
    }));
    const results = await recordCancellations(tx, requests, {
      lockRows: needsRowLocks(db),
      claimMs: INTERACTIVE_CLAIM_MS,
    });
    const recorded = results.flatMap((r) => (r.ok ? [r.value] : []));
    const refused = results.flatMap((r, i) =>
      r.ok ? [] : [{ subOrderId: requests[i]?.subOrderId ?? "", error: r.error }],
    );
    const auditEvent = {
      actor: input.actor,
      action: "cancel_request.approve" as const,
      target: request.orderId,
    };
    if (recorded.length === 0) {
      const refusal = combinedFailure(refused);
      await auditChange(tx, input.audit, {
        ...auditEvent,
        outcome: "failure",
        detail: { cancelRequestId: request.id, requestId: request.requestId, ...errorDetail(refusal) },
      });
      return refusal;
    }

    const [decided] = (
      await tx.execute<{ decided_at: string; decided_at_exact: string }>(sql`
        UPDATE cancel_requests
           SET state = 'approved', decided_by_type = ${input.actor.type}, decided_by_id = ${input.actor.id},
               decided_at = now(), decision_note = NULL, updated_at = now()
         WHERE id = ${request.id} AND state = 'open'
        RETURNING ${iso("decided_at")} AS decided_at, ${isoExact("decided_at")} AS decided_at_exact`)
    ).rows;
    // The row is locked and was open: only a broken invariant gets here.
    if (!decided) throw new Error(`cancel request ${request.id} changed under its lock`);
    const waiting = recorded.some((r) => r.status === "PENDING");
    const payload = decisionPayload(request, "approved", decided.decided_at, null, recorded, orderLines);
    const webhookId = await enqueueWebhook(tx, {
      channelId: request.channelId,
      cancelRequestId: request.id,
      event: "cancel_request.approved",
      payload,
      // Held while a warehouse is asked: if every one refuses, the approval is undone unsent.
      holdMs: waiting ? INTERACTIVE_CLAIM_MS : 0,
    });
    await auditChange(tx, input.audit, {
      ...auditEvent,
      outcome: "success",
      detail: {
        cancelRequestId: request.id,
        requestId: request.requestId,
        cancellations: recorded.map((r) => ({
          subOrderId: r.subOrderId,
          cancellationId: r.cancellationId,
          units: r.plan.units,
          status: r.status,
        })),
        refused: refused.map((r) => ({ subOrderId: r.subOrderId, code: r.error.code })),
      },
    });
    return ok({
      request,
      results,
      requests,
      decidedAt: decided.decided_at,
      decidedAtExact: decided.decided_at_exact,
      webhookId,
      orderLines,
    });
  });
  if (!decision.ok) return decision;
  const { request, results, requests, decidedAt, decidedAtExact, webhookId, orderLines } = decision.value;

  // Outside the transaction: the warehouses that must agree, each asked with its ledger id.
  const outcomes = await Promise.all(
    results.map(async (result, i): Promise<ApproveOutcome> => {
      const subOrderId = requests[i]?.subOrderId ?? "";
      if (!result.ok) return errorOutcome(subOrderId, result.error);
      const units = result.value.plan.units;
      if (result.value.status === "CONFIRMED") return { subOrderId, status: "SUCCESS", units };
      try {
        const state = await askWarehouseNow(db, reservationOf(result.value));
        if (state.status === "CONFIRMED") return { subOrderId, status: "SUCCESS", units };
        if (state.status === "REJECTED") {
          return {
            subOrderId,
            status: "ERROR",
            units: 0,
            code: state.errorCode ?? "DOWNSTREAM_REJECTED",
            message: state.errorMessage ?? "Refused by the warehouse",
          };
        }
        return {
          subOrderId,
          status: "WAITING",
          units,
          code: "DOWNSTREAM_UNAVAILABLE",
          message: waitingMessage(state.lastAskError ?? "no answer yet"),
        };
      } catch (error) {
        // The answer could not be recorded: the entry stays PENDING and the background asker
        // asks again with the same key. Not a refusal.
        console.error(`[cancel-requests] asking the warehouse about ${subOrderId} failed`, error);
        return {
          subOrderId,
          status: "WAITING",
          units,
          code: "DOWNSTREAM_UNAVAILABLE",
          message: waitingMessage("its answer could not be recorded yet"),
        };
      }
    }),
  );

  const cancelledSomething = outcomes.some((o) => o.status !== "ERROR");
  if (!cancelledSomething) {
    const reopened = await reopenRequest(db, {
      request,
      decidedAtExact,
      webhookId,
      actor: input.actor,
      audit: input.audit,
      outcomes,
    });
    if (reopened) {
      return combinedFailure(
        outcomes.map((o) => ({
          subOrderId: o.subOrderId,
          error: { code: (o.code ?? "DOWNSTREAM_REJECTED") as CancelError["code"], message: o.message ?? "" },
        })),
      );
    }
  } else if (webhookId && results.some((r) => r.ok && r.value.status === "PENDING")) {
    // The channel hears what this approval cancels, without sub-orders their warehouse refused.
    const kept = results.flatMap((r, i) => (r.ok && outcomes[i]?.status !== "ERROR" ? [r.value] : []));
    await releaseWebhook(
      db,
      webhookId,
      decisionPayload(request, "approved", decidedAt, null, kept, orderLines),
    );
  }
  const view = await readCancelRequest(db, request.id);
  if (!view) throw new Error(`cancel request ${request.id} vanished`);
  return ok({ request: view, outcomes });
}

/**
 * Rejects an open customer cancel request with a note the channel is told (seeds/002: "already
 * shipped", with the carrier and tracking number). Nothing is cancelled. The request is locked,
 * so a rejection and an approval of one request never both happen.
 */
export async function rejectCancelRequest(
  db: Db,
  input: { id: string; note: string; actor: Actor; audit?: ChangeAudit },
): Promise<Result<{ request: CancelRequestView }>> {
  const note = decisionNoteSchema.safeParse(input.note ?? "");
  if (!note.success) {
    return fail("INVALID_INPUT", { problem: `note: ${note.error.issues[0]?.message ?? "is not valid"}` });
  }
  if (!UUID.test(input.id)) return fail("REQUEST_NOT_FOUND", { id: input.id });
  return db.transaction(async (tx) => {
    const locked = await lockOpenRequest(tx, input.id);
    if (!locked.ok) return locked;
    const request = locked.value;
    const [decided] = (
      await tx.execute<{ decided_at: string }>(sql`
        UPDATE cancel_requests
           SET state = 'rejected', decided_by_type = ${input.actor.type}, decided_by_id = ${input.actor.id},
               decided_at = now(), decision_note = ${note.data}, updated_at = now()
         WHERE id = ${request.id} AND state = 'open'
        RETURNING ${iso("decided_at")} AS decided_at`)
    ).rows;
    if (!decided) throw new Error(`cancel request ${request.id} changed under its lock`);
    await enqueueWebhook(tx, {
      channelId: request.channelId,
      cancelRequestId: request.id,
      event: "cancel_request.rejected",
      payload: decisionPayload(request, "rejected", decided.decided_at, note.data, [], []),
    });
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "cancel_request.reject",
      target: request.orderId,
      outcome: "success",
      detail: { cancelRequestId: request.id, requestId: request.requestId, note: note.data },
    });
    const view = await readCancelRequest(tx, request.id);
    if (!view) throw new Error(`cancel request ${request.id} vanished`);
    return ok({ request: view });
  });
}

/**
 * Cancel requests, open ones first (oldest first: the longest-waiting customer on top), then the
 * decided and expired ones (newest decision first). Keyset paging: `nextCursor` continues where
 * this page ended, whatever arrives or is decided meanwhile. An unreadable cursor throws; check it
 * with isCancelRequestCursor first.
 */
export async function listCancelRequests(
  db: DbOrTx,
  filter: { state?: CancelRequestState; channelId?: string; limit?: number; cursor?: string },
): Promise<{ rows: CancelRequestListRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? LIST_LIMIT_DEFAULT), 1), LIST_LIMIT_MAX);
  const cursor = filter.cursor === undefined ? null : decodeCursor(filter.cursor);
  if (filter.cursor !== undefined && cursor === null) throw new Error("not a cancel request cursor");
  const channel = filter.channelId === undefined ? sql`TRUE` : sql`r.channel_id = ${filter.channelId}`;

  const found: ListRow[] = [];
  if ((filter.state === undefined || filter.state === "open") && (cursor === null || cursor.group === 0)) {
    const after = cursor
      ? sql`(r.created_at, r.id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
      : sql`TRUE`;
    found.push(
      ...(await selectRows(
        db,
        0,
        sql`r.state = 'open' AND ${channel} AND ${after}`,
        sql`r.created_at, r.id`,
        limit + 1,
      )),
    );
  }
  if (found.length <= limit && filter.state !== "open") {
    const decidedAt = sql`coalesce(r.decided_at, r.updated_at)`;
    const state = filter.state === undefined ? sql`r.state <> 'open'` : sql`r.state = ${filter.state}`;
    const after =
      cursor?.group === 1
        ? sql`(${decidedAt}, r.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
        : sql`TRUE`;
    found.push(
      ...(await selectRows(
        db,
        1,
        sql`${state} AND ${channel} AND ${after}`,
        sql`${decidedAt} DESC, r.id DESC`,
        limit + 1 - found.length,
      )),
    );
  }
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => r.row),
    nextCursor:
      found.length > limit && last
        ? encodeCursor({ group: last.group, at: last.sortAt, id: last.row.id })
        : null,
  };
}

/** Whether a `cursor` query parameter is one that listCancelRequests gave out. */
export function isCancelRequestCursor(value: string): boolean {
  return decodeCursor(value) !== null;
}

/**
 * A channel's own requests for the REST API (GET /api/v1/channels/{channelId}/cancel-requests):
 * the request, its state and the decision with its note, without our staff's names.
 */
export async function listChannelCancelRequests(
  db: DbOrTx,
  channelId: string,
  filter: { state?: CancelRequestState; limit?: number; cursor?: string },
): Promise<Result<{ rows: ChannelCancelRequestView[]; nextCursor: string | null }>> {
  const [channel] = (await db.execute<{ id: string }>(sql`SELECT id FROM channels WHERE id = ${channelId}`))
    .rows;
  if (!channel) return fail("CHANNEL_NOT_FOUND", { channelId });
  const page = await listCancelRequests(db, { ...filter, channelId });
  return ok({
    rows: page.rows.map((r) => ({
      id: r.id,
      channelId: r.channelId,
      requestId: r.requestId,
      orderId: r.orderId,
      channelOrderId: r.channelOrderId,
      orderNumber: r.orderNumber,
      state: r.state,
      reasonCode: r.reasonCode,
      customerReason: r.customerReason,
      lines: r.lines,
      note: r.note,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      decisionNote: r.decisionNote,
    })),
    nextCursor: page.nextCursor,
  });
}

// --- approving ----------------------------------------------------------------------------------

type LockedRequest = {
  id: string;
  channelId: string;
  requestId: string;
  orderId: string;
  channelOrderId: string;
  reasonCode: string;
  lines: CancelRequestLine[] | null;
};

type OrderLine = { id: number; subOrderId: string; sku: string; channelItemId: string | null };

/** What one line of a sub-order should lose: `asked` by the customer (null: all of it), `quantity` by the agent. */
type Want = { lineItemId: number; sku: string; asked: number | null; quantity: number | null };

/** Locks the request row; only an open one may be decided. */
async function lockOpenRequest(tx: Tx, id: string): Promise<Result<LockedRequest>> {
  // The row alone is locked and read: joined rows would be those seen before waiting for the lock.
  const [locked] = (
    await tx.execute<{ state: string }>(sql`SELECT state FROM cancel_requests WHERE id = ${id} FOR UPDATE`)
  ).rows;
  if (!locked) return fail("REQUEST_NOT_FOUND", { id });
  const [row] = (
    await tx.execute<{
      id: string;
      channel_id: string;
      channel_request_id: string;
      order_id: string;
      channel_order_id: string;
      state: string;
      reason_code: string;
      lines: CancelRequestLine[] | null;
      decided_by: string | null;
    }>(sql`
      SELECT r.id, r.channel_id, r.channel_request_id, r.order_id, o.channel_order_id, r.state, r.reason_code,
             r.lines, coalesce(u.email, k.name, r.decided_by_id) AS decided_by
        FROM cancel_requests r
        JOIN orders o ON o.id = r.order_id
        LEFT JOIN users u ON r.decided_by_type = 'user' AND u.id = r.decided_by_id
        LEFT JOIN api_keys k ON r.decided_by_type = 'api_key' AND k.id::text = r.decided_by_id
       WHERE r.id = ${id}`)
  ).rows;
  if (!row) return fail("REQUEST_NOT_FOUND", { id });
  if (row.state !== "open") {
    return fail("REQUEST_ALREADY_DECIDED", {
      requestId: row.channel_request_id,
      state: row.state,
      decidedBy: row.decided_by,
    });
  }
  return ok({
    id: row.id,
    channelId: row.channel_id,
    requestId: row.channel_request_id,
    orderId: row.order_id,
    channelOrderId: row.channel_order_id,
    reasonCode: row.reason_code,
    lines: row.lines,
  });
}

async function loadOrderLines(tx: Tx, orderId: string): Promise<OrderLine[]> {
  const rows = await tx.execute<{
    id: number;
    sub_order_id: string;
    sku: string;
    channel_item_id: string | null;
  }>(
    sql`
      SELECT li.id, li.sub_order_id, li.sku, li.channel_item_id
        FROM line_items li JOIN sub_orders so ON so.id = li.sub_order_id
       WHERE so.order_id = ${orderId}
       ORDER BY li.sub_order_id, li.id`,
  );
  return rows.rows.map((r) => ({
    id: r.id,
    subOrderId: r.sub_order_id,
    sku: r.sku,
    channelItemId: r.channel_item_id,
  }));
}

function checkNarrowedShape(lines: { lineItemId: number; quantity: number }[] | undefined): Result<null> {
  if (lines === undefined) return ok(null);
  if (!Array.isArray(lines) || lines.length === 0) {
    return fail("INVALID_INPUT", { problem: "lines: choose at least one line to cancel" });
  }
  const seen = new Set<number>();
  for (const [index, line] of lines.entries()) {
    const parsed = approveLineSchema.safeParse(line);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail("INVALID_INPUT", {
        problem: `lines.${index}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "is not valid"}`,
      });
    }
    if (seen.has(line.lineItemId)) {
      return fail("INVALID_INPUT", {
        problem: `lines.${index}.lineItemId: line ${line.lineItemId} is given twice`,
      });
    }
    seen.add(line.lineItemId);
  }
  return ok(null);
}

/**
 * The lines to cancel, by sub-order: what the request asked for, or the agent's narrower choice,
 * which must be among the request's lines and not more than it asked.
 */
function wantedBySubOrder(
  request: LockedRequest,
  orderLines: OrderLine[],
  narrowed: { lineItemId: number; quantity: number }[] | undefined,
): Result<Map<string, Want[]>> {
  const onOrder = new Map(orderLines.map((l) => [l.id, l]));
  // null: the whole order, every line of it.
  const asked =
    request.lines === null ? null : new Map(request.lines.map((l) => [l.lineItemId, l.quantity] as const));
  const wants: Want[] = [];
  if (narrowed === undefined) {
    for (const line of orderLines) {
      if (asked !== null && !asked.has(line.id)) continue;
      wants.push({ lineItemId: line.id, sku: line.sku, asked: asked?.get(line.id) ?? null, quantity: null });
    }
  } else {
    for (const [index, choice] of narrowed.entries()) {
      const line = onOrder.get(choice.lineItemId);
      if (!line || (asked !== null && !asked.has(line.id))) {
        return fail("INVALID_INPUT", {
          problem: `lines.${index}.lineItemId: line ${choice.lineItemId} is not part of request ${request.requestId}`,
        });
      }
      const limit = asked?.get(line.id) ?? null;
      if (limit !== null && choice.quantity > limit) {
        return fail("INVALID_INPUT", {
          problem: `lines.${index}.quantity: ${choice.quantity} of SKU ${line.sku} is more than the ${limit} the customer asked to cancel`,
        });
      }
      wants.push({ lineItemId: line.id, sku: line.sku, asked: limit, quantity: choice.quantity });
    }
  }
  const bySubOrder = new Map<string, Want[]>();
  for (const want of wants) {
    const subOrderId = onOrder.get(want.lineItemId)?.subOrderId;
    if (subOrderId === undefined) continue;
    bySubOrder.set(subOrderId, [...(bySubOrder.get(subOrderId) ?? []), want]);
  }
  if (bySubOrder.size === 0) {
    return fail("INVALID_INPUT", { problem: `Request ${request.requestId} names no line of its order` });
  }
  return ok(bySubOrder);
}

/**
 * The plan of one sub-order against its locked lines, through the one rule for line cancels
 * (planLineItemCancel: quantities, whole lines only, every refusal with its numbers).
 */
function planRequested(
  subOrderId: string,
  current: PlannedLine[],
  wants: Want[],
  policy: ChannelPolicy,
  narrowed: boolean,
): Result<CancelPlan> {
  const byId = new Map(current.map((l) => [l.id, l]));
  // A line as one quantity: what was asked of it, or all that is left of it. On a whole-lines-only
  // channel, all that is cancellable of it, so that the rule names what keeps the rest.
  const whole = (line: PlannedLine, asked: number | null) => {
    const open = line.ordered - line.cancelled;
    if (asked !== null && asked < open) return asked;
    const cancellable = cancellableOf(line);
    return Math.max(1, !policy.partialQuantities && cancellable > 0 ? cancellable : open);
  };
  const requests: LineRequest[] = [];
  for (const want of wants) {
    const line = byId.get(want.lineItemId);
    if (!line) {
      requests.push({ sku: want.sku, quantity: want.quantity ?? 1 });
    } else if (narrowed) {
      // The agent's choice as chosen; the whole line on a whole-lines-only channel.
      const quantity = policy.partialQuantities ? (want.quantity ?? 1) : whole(line, want.asked);
      requests.push({ sku: line.sku, quantity });
    } else {
      // What can still go of what was asked: on a whole-lines-only channel only lines that can go whole.
      const cancellable = cancellableOf(line);
      const take = policy.partialQuantities
        ? Math.min(want.asked ?? cancellable, cancellable)
        : cancellable === line.ordered - line.cancelled && (want.asked === null || want.asked >= cancellable)
          ? cancellable
          : 0;
      if (take > 0) requests.push({ sku: line.sku, quantity: take });
    }
  }
  if (requests.length > 0) return planLineItemCancel(subOrderId, current, requests, policy);
  // Nothing can go: the rule, asked for all of what was asked, says why (cancelled, shipped, in
  // processing, not whole).
  const refusal = planLineItemCancel(
    subOrderId,
    current,
    wants.map((w) => {
      const line = byId.get(w.lineItemId);
      return { sku: w.sku, quantity: line ? whole(line, w.asked) : 1 };
    }),
    policy,
  );
  return refusal.ok ? fail("NOTHING_CANCELLABLE", { emptySubOrderId: subOrderId }) : refusal;
}

/** Undoes an approval none of whose cancellations happened, if its webhook was never sent. */
async function reopenRequest(
  db: Db,
  input: {
    request: LockedRequest;
    decidedAtExact: string;
    webhookId: string | null;
    actor: Actor;
    audit?: ChangeAudit;
    outcomes: ApproveOutcome[];
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (input.webhookId && !(await withdrawWebhook(tx, input.webhookId))) return false;
    const reopened = await tx.execute(sql`
      UPDATE cancel_requests
         SET state = 'open', decided_by_type = NULL, decided_by_id = NULL, decided_at = NULL, updated_at = now()
       WHERE id = ${input.request.id} AND state = 'approved' AND decided_at = ${input.decidedAtExact}::timestamptz
      RETURNING id`);
    if (reopened.rows.length === 0) return false;
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "cancel_request.approve",
      target: input.request.orderId,
      outcome: "failure",
      detail: {
        cancelRequestId: input.request.id,
        requestId: input.request.requestId,
        reopened: true,
        refused: input.outcomes.map((o) => ({ subOrderId: o.subOrderId, code: o.code, message: o.message })),
      },
    });
    return true;
  });
}

function decisionPayload(
  request: LockedRequest,
  state: "approved" | "rejected",
  decidedAt: string,
  note: string | null,
  recorded: RecordedCancellation[],
  orderLines: OrderLine[],
): CancelRequestDecisionPayload {
  const byId = new Map(orderLines.map((l) => [l.id, l]));
  return {
    requestId: request.requestId,
    channelOrderId: request.channelOrderId,
    state,
    decidedAt,
    note,
    lines: recorded.flatMap((r) =>
      r.plan.lines.map((l) => ({
        channelItemId: byId.get(l.lineItemId)?.channelItemId ?? null,
        sku: l.sku,
        quantity: l.quantity,
      })),
    ),
  };
}

function errorOutcome(subOrderId: string, error: CancelError): ApproveOutcome {
  return { subOrderId, status: "ERROR", units: 0, code: error.code, message: error.message };
}

/** One sub-order's refusal as it is; several, each named by its sub-order. */
function combinedFailure(refused: { subOrderId: string; error: CancelError }[]): Result<never> {
  const [first] = refused;
  if (!first) return fail("INVALID_INPUT", { problem: "Nothing to cancel" });
  if (refused.length === 1) return failed(first.error);
  const lineErrors = refused.flatMap((r) => r.error.lineErrors ?? []);
  return failed({
    code: first.error.code,
    message: refused.map((r) => `${r.subOrderId}: ${r.error.message}`).join("; "),
    lineErrors: lineErrors.length > 0 ? lineErrors : undefined,
  });
}

function errorDetail(result: Result<never>): Record<string, unknown> {
  return result.ok ? {} : { code: result.error.code, message: result.error.message };
}

// --- listing ------------------------------------------------------------------------------------

type ListRow = { group: 0 | 1; sortAt: string; row: CancelRequestListRow };

const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
/** Microseconds, for cursors and exact comparisons. */
const isoExact = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

async function selectRows(
  db: DbOrTx,
  group: 0 | 1,
  where: SQL,
  orderBy: SQL,
  limit: number,
): Promise<ListRow[]> {
  if (limit <= 0) return [];
  const sortColumn = group === 0 ? "r.created_at" : "coalesce(r.decided_at, r.updated_at)";
  const rows = await db.execute<
    CancelRequestRow & {
      channel_name: string;
      channel_order_no: string;
      customer_name: string;
      age_seconds: number;
      reason_label: string;
      decided_by: string | null;
      shipped: number;
      shipment: { reference?: string; carrier?: string; trackingNumber?: string } | null;
      shipped_at: string | null;
      sort_at: string;
    }
  >(sql`
    SELECT r.id, r.channel_id, r.channel_request_id, r.order_id, o.channel_order_id, r.state, r.reason_code,
           r.customer_reason, r.lines, r.note, ${iso("r.created_at")} AS created_at,
           ${iso("r.decided_at")} AS decided_at, r.decision_note,
           ch.name AS channel_name, o.channel_order_no, o.customer_name,
           greatest(0, floor(extract(epoch FROM now() - r.created_at)))::int AS age_seconds,
           cr.label AS reason_label,
           CASE WHEN r.decided_by_id IS NULL THEN NULL ELSE coalesce(u.email, k.name, r.decided_by_id) END AS decided_by,
           s.shipped, e.shipment, e.shipped_at,
           ${isoExact(sortColumn)} AS sort_at
      FROM cancel_requests r
      JOIN orders o ON o.id = r.order_id
      JOIN channels ch ON ch.id = r.channel_id
      JOIN cancellation_reasons cr ON cr.code = r.reason_code
      LEFT JOIN users u ON r.decided_by_type = 'user' AND u.id = r.decided_by_id
      LEFT JOIN api_keys k ON r.decided_by_type = 'api_key' AND k.id::text = r.decided_by_id
      CROSS JOIN LATERAL (
        SELECT coalesce(sum(li.fulfilled), 0)::int AS shipped
          FROM sub_orders so JOIN line_items li ON li.sub_order_id = so.id
         WHERE so.order_id = r.order_id) AS s
      LEFT JOIN LATERAL (
        SELECT we.body -> 'shipment' AS shipment, ${iso("we.created_at")} AS shipped_at
          FROM sub_orders so JOIN warehouse_events we ON we.sub_order_id = so.id AND we.type = 'shipped'
         WHERE so.order_id = r.order_id
         ORDER BY we.created_at DESC, we.id DESC
         LIMIT 1) AS e ON TRUE
     WHERE ${where}
     ORDER BY ${orderBy}
     LIMIT ${limit}`);
  return rows.rows.map((r) => ({
    group,
    sortAt: r.sort_at,
    row: {
      ...cancelRequestViewOf(r),
      channelName: r.channel_name,
      orderNumber: r.channel_order_no,
      customerName: r.customer_name,
      ageSeconds: r.age_seconds,
      reasonLabel: r.reason_label,
      shipped: r.shipped,
      shipment:
        r.shipment?.reference && r.shipped_at
          ? {
              reference: r.shipment.reference,
              carrier: r.shipment.carrier ?? null,
              trackingNumber: r.shipment.trackingNumber ?? null,
              shippedAt: r.shipped_at,
            }
          : null,
      decidedBy: r.decided_by,
    },
  }));
}

type Cursor = { group: 0 | 1; at: string; id: string };

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.group}|${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

function decodeCursor(value: string): Cursor | null {
  if (value.length > 200) return null;
  const [group, at, id, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || (group !== "0" && group !== "1") || !at || !id) return null;
  if (!CURSOR_AT.test(at) || !UUID.test(id)) return null;
  return { group: group === "0" ? 0 : 1, at, id };
}
