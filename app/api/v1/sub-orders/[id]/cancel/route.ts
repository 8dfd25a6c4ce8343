import { z } from "zod";
import { getDb } from "@/db/client";
import { failure, invalid } from "@/lib/action-result";
import { requestFingerprint, runIdempotent, type StoredResponse } from "@/lib/api/idempotency";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { MAX_QUANTITY } from "@/lib/csv/validate";
import { idText } from "@/lib/validation/text";
import { readJsonBody } from "../../../../_lib/json-body";
import { idParamsSchema } from "../../../../_lib/params";
import { failureResponse, internalErrorResponse, NO_STORE, statusOf } from "../../../../_lib/responses";

export const dynamic = "force-dynamic";
const cancelBodySchema = z
  .object({
    reasonCode: idText(),
    /** Whole sub-order: strict (default) or unfulfilled only. Ignored when `lines` is given. */
    mode: z.enum(SUB_ORDER_MODES).default("strict"),
    /** Cancel these quantities only, as one unit of work. */
    lines: z
      .array(z.object({ sku: idText(), quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
      .min(1)
      .max(500)
      .optional(),
  })
  .strict();

const idempotencyKeySchema = z.object({ "Idempotency-Key": idText({ max: 200 }).optional() });

/**
 * Cancels a sub-order, or quantities of some of its lines, for an integration. Needs `cancel`.
 * Send an `Idempotency-Key` header to make retries safe: the key is claimed before anything else,
 * so the same key from the same API key returns the first call's status and body (waiting for it
 * if it is still running) and never cancels twice; the same key with another body is refused.
 * 200: cancelled. 202: the units are reserved and the warehouse has not answered yet; it is asked
 * again with the same request until it does (GET the sub-order to follow it). Errors carry the
 * same stable codes as the screens and the error CSV.
 */
export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  try {
    const auth = await authenticateApiRequest(request, "cancel");
    if (!auth.ok) return auth.response;
    const path = idParamsSchema.safeParse(await context.params);
    if (!path.success) return failureResponse(invalid(path.error));
    const subOrderId = path.data.id;
    const json = await readJsonBody(request);
    if (!json.ok) return json.response;
    const body = cancelBodySchema.safeParse(json.value);
    if (!body.success) return failureResponse(invalid(body.error));
    const header = idempotencyKeySchema.safeParse({
      "Idempotency-Key": request.headers.get("idempotency-key") ?? undefined,
    });
    if (!header.success) return failureResponse(invalid(header.error));
    const requestKey = { data: header.data["Idempotency-Key"] };

    const { reasonCode, mode, lines } = body.data;
    const db = getDb();
    const act = async (): Promise<StoredResponse> => {
      const base = {
        subOrderId,
        reasonCode,
        actor: { type: auth.actor.type, id: auth.actor.id },
        source: "api" as const,
        requestKey: requestKey.data,
        audit: { label: auditActorOf(auth.actor).label, sourceIp: auth.sourceIp },
      };
      const result = lines
        ? await cancelLineItems(db, { ...base, lines })
        : await cancelSubOrder(db, { ...base, mode });
      if (result.ok) {
        return {
          status: result.value.status === "PENDING" ? 202 : 200,
          body: { ok: true, data: result.value },
        };
      }
      const { code, message, lineErrors } = result.error;
      return {
        status: statusOf(code),
        body: lineErrors ? { ok: false, code, message, lineErrors } : { ok: false, code, message },
      };
    };
    if (!requestKey.data) return respond(await act());
    const outcome = await runIdempotent(
      db,
      {
        ownerId: auth.actor.id,
        key: requestKey.data,
        fingerprint: requestFingerprint("POST", `/api/v1/sub-orders/${subOrderId}/cancel`, body.data),
      },
      act,
    );
    switch (outcome.kind) {
      case "mismatch":
        return failureResponse(failure("IDEMPOTENCY_KEY_REUSED", { key: requestKey.data }));
      case "busy":
        return failureResponse(failure("IDEMPOTENCY_KEY_IN_USE", { key: requestKey.data }));
      default:
        return respond(outcome.response);
    }
  } catch (error) {
    return internalErrorResponse(error, "cancelling the sub-order");
  }
}

function respond(response: StoredResponse): Response {
  return Response.json(response.body, { status: response.status, headers: NO_STORE });
}
