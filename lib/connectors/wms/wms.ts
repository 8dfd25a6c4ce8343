import { answerFrom, isRecord, nonEmptyString, sendJson } from "../http";
import type { ConnectorAnswer, ConnectorConfig, WarehouseCancelRequest, WarehouseGate } from "../types";
import {
  WMS_CANCEL_METHOD,
  WMS_CANCEL_PATH,
  WMS_ERROR_CODES,
  WMS_LIMITS,
  type WmsCancelBody,
} from "./contract";

/**
 * Adapter for the WMS "Cancel Sales Order B2C" API (seeds/001).
 *
 *   PATCH {baseUrl}/v3/fulfillment/outbound/oms/cancel
 *   x-api-key: <credentials.apiKey>
 *   {"data":{"cancellation":{"order_no","cancel_reason","warehouse_id"}}}
 *
 * 200 accepted; 400 (810) and other 4xx rejected with the WMS's own message; 401 (802, whose body
 * has a different shape: `metadata.error` instead of `metadata.errors[]`) rejected as a
 * credentials problem; 5xx (803), 408/429, timeouts and connection errors unavailable.
 */

export const WMS_SYSTEM = "WMS";

export type WmsCancelInput = {
  /** Our sub-order id, which is the sales order number the WMS knows (`order_no`). */
  orderNo: string;
  /** The warehouse's id in the WMS (`warehouse_id`), e.g. "TGR04". */
  warehouseId: string;
  /** Free text for `cancel_reason`; cut to the documented 50 characters. */
  cancelReason: string;
  /** The ledger entry id. */
  idempotencyKey: string;
};

export const WMS_PARTIAL_MESSAGE =
  "The WMS API cancels whole sales orders only; cancel the full sub-order or cancel in the warehouse";

export function wmsCancelBody(input: WmsCancelInput): WmsCancelBody {
  return {
    data: {
      cancellation: {
        order_no: input.orderNo,
        cancel_reason: cutText(input.cancelReason, WMS_LIMITS.cancelReason),
        warehouse_id: input.warehouseId,
      },
    },
  };
}

/** At most `max` UTF-16 units, never ending in half of a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** Asks the WMS to cancel one whole sales order. Never throws. */
export async function cancelSalesOrder(
  config: ConnectorConfig,
  input: WmsCancelInput,
): Promise<ConnectorAnswer> {
  const invalid = invalidInput(input);
  if (invalid !== null) return { kind: "rejected", code: "invalid_input", message: invalid };
  const apiKey = config.credentials.apiKey;
  if (apiKey === undefined || apiKey === "") {
    return {
      kind: "rejected",
      code: "missing_credentials",
      message: "No WMS API key is configured",
      credentialsProblem: true,
    };
  }
  const result = await sendJson(config, WMS_CANCEL_METHOD, WMS_CANCEL_PATH, wmsCancelBody(input), {
    "x-api-key": apiKey,
    // Not in the WMS document. Harmless to a server that ignores it; lets a WMS (and our fake)
    // that honours it recognise a retried cancel as the same request (key = ledger entry id).
    "Idempotency-Key": input.idempotencyKey,
  });
  return answerFrom(config, result, {
    system: WMS_SYSTEM,
    messageOf: wmsMessage,
    codeOf: (body) => {
      const first = wmsErrors(body)[0];
      return first?.code === undefined ? null : String(first.code);
    },
    credentialsProblem: (body) => wmsErrors(body).some((e) => e.code === WMS_ERROR_CODES.unauthorized),
  });
}

/** Checks the documented field limits before sending, so an over-long id is explained in our words. */
function invalidInput(input: WmsCancelInput): string | null {
  if (input.orderNo.trim() === "") return "WMS order_no is empty";
  if (input.orderNo.length > WMS_LIMITS.orderNo) {
    return `Sub-order id ${input.orderNo} is longer than the ${WMS_LIMITS.orderNo} characters the WMS accepts as order_no`;
  }
  if (input.warehouseId.trim() === "") return "The warehouse has no WMS warehouse_id configured";
  if (input.warehouseId.length > WMS_LIMITS.warehouseId) {
    return `Warehouse id ${input.warehouseId} is longer than the ${WMS_LIMITS.warehouseId} characters the WMS accepts`;
  }
  return null;
}

type WmsError = { code?: number | string; message?: string };

/** Errors of either documented shape: `metadata.errors[]` (400/500) or `metadata.error` (401). */
function wmsErrors(body: unknown): WmsError[] {
  if (!isRecord(body) || !isRecord(body.metadata)) return [];
  const { errors, error } = body.metadata;
  const list = Array.isArray(errors) ? errors : isRecord(error) ? [error] : [];
  return list.filter(isRecord).map((e) => ({
    code: typeof e.code === "number" || typeof e.code === "string" ? e.code : undefined,
    message: nonEmptyString(e.message) ?? undefined,
  }));
}

/** "810: Invalid Input. Please Validate Your Input." (several errors joined with "; "). */
export function wmsMessage(body: unknown): string | null {
  const parts = wmsErrors(body)
    .map((e) => [e.code, e.message].filter((p) => p !== undefined).join(": "))
    .filter((p) => p !== "");
  if (parts.length > 0) return parts.join("; ");
  if (isRecord(body)) {
    const meta = isRecord(body.metadata) ? body.metadata : {};
    return nonEmptyString(meta.message) ?? nonEmptyString(body.message) ?? nonEmptyString(body.error);
  }
  return null;
}

/**
 * The warehouse gate of a WMS-connected warehouse. The WMS contract has no partial form (it
 * cancels a whole sales order), so a request marked `partial` is refused here without calling it;
 * a whole sub-order cancel sends `order_no` = sub-order id, `warehouse_id` = the warehouse's
 * external id, `cancel_reason` = the reason as people read it (its label, `reasonText`), cut to
 * the documented 50 characters; the code only when the label is empty, since the field is mandatory.
 */
export function wmsGate(config: ConnectorConfig): WarehouseGate {
  return async (request: WarehouseCancelRequest): Promise<ConnectorAnswer> => {
    if (request.partial === true) return { kind: "rejected", code: "partial", message: WMS_PARTIAL_MESSAGE };
    if (request.warehouseExternalId === null || request.warehouseExternalId.trim() === "") {
      return {
        kind: "rejected",
        code: "configuration",
        message: "The warehouse has no WMS warehouse_id configured",
      };
    }
    return cancelSalesOrder(config, {
      orderNo: request.subOrderId,
      warehouseId: request.warehouseExternalId,
      cancelReason: request.reasonText.trim() === "" ? request.reasonCode : request.reasonText.trim(),
      idempotencyKey: request.idempotencyKey,
    });
  };
}
