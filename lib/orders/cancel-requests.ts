import "server-only";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { requestFingerprint, type StoredResponse } from "@/lib/api/idempotency";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import type { CancelRequestInput } from "./contracts";

// The first key of the advisory locks that serialise requests with one id of one channel.
const REQUEST_LOCK = 727_022;

export type CancelRequestLine = {
  lineItemId: number;
  subOrderId: string;
  sku: string;
  channelItemId: string | null;
  /** Null: the whole line. */
  quantity: number | null;
};

export type CancelRequestView = {
  id: string;
  channelId: string;
  requestId: string;
  orderId: string;
  channelOrderId: string;
  state: string;
  reasonCode: string;
  customerReason: string;
  /** Null: the whole order. */
  lines: CancelRequestLine[] | null;
  /** The channel's note on the request. */
  note: string | null;
  createdAt: string;
  /** When an agent approved or rejected it (ISO 8601); null while open or once expired. */
  decidedAt: string | null;
  /** The agent's note on the decision (always there for a rejection). */
  decisionNote: string | null;
};

export type CancelRequestReceipt = StoredResponse & { replayed: boolean };

/**
 * Stores a customer's cancel request sent by a channel, open for an agent to approve or reject.
 * The customer's reason is mapped to ours through the channel's reason mapping (or taken as it is
 * when it already is one of our active codes); lines are found by the channel's item id or by SKU.
 * Idempotent by the channel's request id: the same id and body again answers the stored request
 * (200), the same id with another body is refused.
 */
export async function receiveCancelRequest(
  db: Db,
  input: {
    channelId: string;
    request: CancelRequestInput;
    actor: Actor;
    audit?: ChangeAudit;
  },
): Promise<Result<CancelRequestReceipt>> {
  const { channelId, request } = input;
  const fingerprint = requestFingerprint("POST", `/channels/${channelId}/cancel-requests`, request);
  return db.transaction(async (tx) => {
    const [channel] = (
      await tx.execute<{ id: string; name: string }>(
        sql`SELECT id, name FROM channels WHERE id = ${channelId}`,
      )
    ).rows;
    if (!channel) return fail("CHANNEL_NOT_FOUND", { channelId });
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(${REQUEST_LOCK}, hashtext(${`${channelId}\n${request.requestId}`}))`,
    );
    const [seen] = (
      await tx.execute<{ id: string; fingerprint: string }>(sql`
        SELECT id, fingerprint FROM cancel_requests
         WHERE channel_id = ${channelId} AND channel_request_id = ${request.requestId}`)
    ).rows;
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        return fail("REQUEST_ID_REUSED", { requestId: request.requestId });
      const view = await readCancelRequest(tx, seen.id);
      return ok({ status: 200, body: { ok: true, data: view }, replayed: true });
    }

    const [order] = (
      await tx.execute<{ id: string }>(sql`
        SELECT id FROM orders WHERE channel_id = ${channelId} AND channel_order_id = ${request.channelOrderId}`)
    ).rows;
    if (!order) return fail("ORDER_NOT_FOUND", { channelId, channelOrderId: request.channelOrderId });

    const [reason] = (
      await tx.execute<{ reason_code: string }>(sql`
        SELECT m.reason_code FROM channel_reason_codes m
          JOIN cancellation_reasons r ON r.code = m.reason_code AND r.active
         WHERE m.channel_id = ${channelId} AND m.channel_code = ${request.reason}
        UNION ALL
        SELECT code FROM cancellation_reasons WHERE code = ${request.reason} AND active
        LIMIT 1`)
    ).rows;
    if (!reason) {
      return fail("REASON_NOT_MAPPED", { channel: channel.name, reason: request.reason, field: "reason" });
    }

    let lines: CancelRequestLine[] | null = null;
    if (request.lines) {
      const found = await tx.execute<{
        id: number;
        sub_order_id: string;
        sku: string;
        channel_item_id: string | null;
        ordered: number;
      }>(sql`
        SELECT li.id, li.sub_order_id, li.sku, li.channel_item_id, li.ordered
          FROM line_items li JOIN sub_orders so ON so.id = li.sub_order_id
         WHERE so.order_id = ${order.id} ORDER BY li.id`);
      lines = [];
      for (const [index, wanted] of request.lines.entries()) {
        const matches = found.rows.filter((l) =>
          wanted.channelItemId !== undefined
            ? l.channel_item_id === wanted.channelItemId
            : l.sku === wanted.sku,
        );
        const field = `lines.${index}.${wanted.channelItemId !== undefined ? "channelItemId" : "sku"}`;
        const name = wanted.channelItemId ?? wanted.sku;
        const [line] = matches;
        if (!line) {
          return fail("INVALID_INPUT", {
            problem: `${field}: order ${request.channelOrderId} has no item ${name}`,
          });
        }
        if (matches.length > 1) {
          return fail("INVALID_INPUT", {
            problem: `${field}: SKU ${name} is on several sub-orders of order ${request.channelOrderId}; send channelItemId`,
          });
        }
        if (wanted.quantity !== undefined && wanted.quantity > line.ordered) {
          return fail("INVALID_INPUT", {
            problem: `lines.${index}.quantity: ${wanted.quantity} is more than the ${line.ordered} ordered of ${name}`,
          });
        }
        lines.push({
          lineItemId: line.id,
          subOrderId: line.sub_order_id,
          sku: line.sku,
          channelItemId: line.channel_item_id,
          quantity: wanted.quantity ?? null,
        });
      }
    }

    const [created] = (
      await tx.execute<{ id: string }>(sql`
        INSERT INTO cancel_requests (channel_id, channel_request_id, order_id, reason_code, customer_reason,
                                     lines, fingerprint, note)
        VALUES (${channelId}, ${request.requestId}, ${order.id}, ${reason.reason_code}, ${request.reason},
                ${lines === null ? null : JSON.stringify(lines)}::jsonb, ${fingerprint}, ${request.note ?? null})
        RETURNING id`)
    ).rows;
    if (!created) throw new Error("the cancel request was not stored");
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "cancel_request.create",
      target: order.id,
      outcome: "success",
      detail: { channelId, requestId: request.requestId, reasonCode: reason.reason_code },
    });
    const view = await readCancelRequest(tx, created.id);
    return ok({ status: 201, body: { ok: true, data: view }, replayed: false });
  });
}

/** A cancel request's row as the queries select it (`r.*` with the order's channel id, times as ISO text). */
export type CancelRequestRow = {
  id: string;
  channel_id: string;
  channel_request_id: string;
  order_id: string;
  channel_order_id: string;
  state: string;
  reason_code: string;
  customer_reason: string;
  lines: CancelRequestLine[] | null;
  note: string | null;
  created_at: string;
  decided_at: string | null;
  decision_note: string | null;
};

export function cancelRequestViewOf(row: CancelRequestRow): CancelRequestView {
  return {
    id: row.id,
    channelId: row.channel_id,
    requestId: row.channel_request_id,
    orderId: row.order_id,
    channelOrderId: row.channel_order_id,
    state: row.state,
    reasonCode: row.reason_code,
    customerReason: row.customer_reason,
    lines: row.lines,
    note: row.note,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
  };
}

export async function readCancelRequest(db: DbOrTx, id: string): Promise<CancelRequestView | null> {
  const [row] = (
    await db.execute<CancelRequestRow>(sql`
      SELECT r.id, r.channel_id, r.channel_request_id, r.order_id, o.channel_order_id, r.state, r.reason_code,
             r.customer_reason, r.lines, r.note,
             to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
             to_char(r.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_at,
             r.decision_note
        FROM cancel_requests r JOIN orders o ON o.id = r.order_id
       WHERE r.id = ${id}`)
  ).rows;
  return row ? cancelRequestViewOf(row) : null;
}
