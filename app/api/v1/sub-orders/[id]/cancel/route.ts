import { z } from "zod";
import { getDb } from "@/db/client";
import { invalid } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { failureResponse, NO_STORE } from "../../../../_lib/responses";

export const dynamic = "force-dynamic";

const cancelBodySchema = z
  .object({
    reasonCode: z.string().trim().min(1).max(100),
    /** Whole sub-order: strict (default) or unfulfilled only. Ignored when `lines` is given. */
    mode: z.enum(SUB_ORDER_MODES).default("strict"),
    /** Cancel these quantities only, as one unit of work. */
    lines: z
      .array(z.object({ sku: z.string().trim().min(1).max(100), quantity: z.number().int().min(1) }))
      .min(1)
      .max(500)
      .optional(),
  })
  .strict();

const idempotencyKeySchema = z.string().trim().min(1).max(200).optional();

/**
 * Cancels a sub-order, or quantities of some of its lines, for an integration. Needs `cancel`.
 * Send an `Idempotency-Key` header to make retries safe: the same key from the same API key
 * returns the first call's result and never cancels twice. Errors carry the same stable codes
 * as the screens and the error CSV.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateApiRequest(request, "cancel");
  if (!auth.ok) return auth.response;
  const { id: subOrderId } = await context.params;
  const body = cancelBodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return failureResponse(invalid(body.error));
  const requestKey = idempotencyKeySchema.safeParse(request.headers.get("idempotency-key") ?? undefined);
  if (!requestKey.success) return failureResponse(invalid(requestKey.error));

  const { reasonCode, mode, lines } = body.data;
  const base = {
    subOrderId,
    reasonCode,
    actor: { type: auth.actor.type, id: auth.actor.id },
    source: "api" as const,
    requestKey: requestKey.data,
  };
  const db = getDb();
  const result = lines
    ? await cancelLineItems(db, { ...base, lines })
    : await cancelSubOrder(db, { ...base, mode });
  await recordAuditEvent({
    actor: auditActorOf(auth.actor),
    action: "cancellation.cancel",
    outcome: result.ok ? "success" : "failure",
    target: subOrderId,
    sourceIp: auth.sourceIp,
    detail: result.ok
      ? { source: "api", mode: lines ? "line_items" : mode, reasonCode, units: result.value.units }
      : {
          source: "api",
          mode: lines ? "line_items" : mode,
          reasonCode,
          code: result.error.code,
          message: result.error.message,
        },
  });
  if (!result.ok) {
    const { code, message, lineErrors } = result.error;
    const response = failureResponse({ ok: false, code, message });
    return lineErrors
      ? Response.json(
          { ok: false, code, message, lineErrors },
          { status: response.status, headers: NO_STORE },
        )
      : response;
  }
  return Response.json({ ok: true, data: result.value }, { headers: NO_STORE });
}
