import {
  WMS_CANCEL_METHOD,
  WMS_CANCEL_PATH,
  WMS_DOCUMENTED,
  WMS_ERROR_CODES,
  WMS_LIMITS,
  wmsErrorBody,
} from "@/lib/connectors/wms/contract";
import {
  type FakeOptions,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./server";

/**
 * A fake WMS speaking the "Cancel Sales Order B2C" contract (seeds/001): PATCH
 * /v3/fulfillment/outbound/oms/cancel with `x-api-key` and the exact documented body. A wrong or
 * missing key gets the documented 401/802 body, any deviation from the body shape the documented
 * 400/810 body, a server fault the documented 500/803 body — all verbatim. An order whose stock
 * is allocated (`refuse`) gets a 400/810 in the documented shape with its own message.
 */

export const FAKE_WMS_API_KEY = "fake-wms-api-key";

export type FakeWmsOptions = FakeOptions & {
  apiKey?: string;
  /** Orders refused as if the WMS had already allocated stock, besides those passed to `refuse`. */
  refuseWhen?: (orderNo: string) => boolean;
};

export type FakeWms = FakeServer & {
  /** Cancelled order numbers. */
  readonly cancelled: ReadonlySet<string>;
  /** From now on, cancelling this order is refused: stock already allocated. */
  refuse(orderNo: string): void;
  allow(orderNo: string): void;
  reset(): void;
};

export function stockAllocatedMessage(orderNo: string): string {
  return `Stock already allocated for order ${orderNo}`;
}

function meta(status: number, text: string): FakeReply {
  return {
    status,
    body: {
      metadata: {
        path: WMS_CANCEL_PATH,
        http_status_code: status,
        http_status: text,
        timestamp: Math.floor(Date.now() / 1000),
      },
    },
  };
}

function hasExactKeys(value: unknown, keys: string[]): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value).sort();
  return own.length === keys.length && [...keys].sort().every((k, i) => own[i] === k);
}

function boundedString(value: unknown, max: number): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= max;
}

/** The cancellation of a well-formed body, or null for anything else. */
export function parseWmsCancel(request: RecordedRequest): { orderNo: string; warehouseId: string } | null {
  if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) return null;
  const body = request.body;
  if (!hasExactKeys(body, ["data"]) || !hasExactKeys(body.data, ["cancellation"])) return null;
  const c = body.data.cancellation;
  if (!hasExactKeys(c, ["order_no", "cancel_reason", "warehouse_id"])) return null;
  if (
    !boundedString(c.order_no, WMS_LIMITS.orderNo) ||
    !boundedString(c.cancel_reason, WMS_LIMITS.cancelReason) ||
    !boundedString(c.warehouse_id, WMS_LIMITS.warehouseId)
  ) {
    return null;
  }
  return { orderNo: c.order_no, warehouseId: c.warehouse_id };
}

export async function startFakeWms(options: FakeWmsOptions = {}): Promise<FakeWms> {
  const apiKey = options.apiKey ?? FAKE_WMS_API_KEY;
  const refused = new Set<string>();
  const cancelled = new Set<string>();

  const handle = (request: RecordedRequest): FakeReply => {
    const path = request.path.split("?")[0];
    if (path !== WMS_CANCEL_PATH) return meta(404, "Not Found");
    if (request.method !== WMS_CANCEL_METHOD) return meta(405, "Method Not Allowed");
    if (request.headers["x-api-key"] !== apiKey) return { status: 401, body: WMS_DOCUMENTED.unauthorized401 };
    const cancel = parseWmsCancel(request);
    if (cancel === null) return { status: 400, body: WMS_DOCUMENTED.invalidInput400 };
    if (refused.has(cancel.orderNo) || options.refuseWhen?.(cancel.orderNo)) {
      return {
        status: 400,
        body: wmsErrorBody(
          400,
          "Bad Request",
          WMS_ERROR_CODES.invalidInput,
          stockAllocatedMessage(cancel.orderNo),
        ),
      };
    }
    cancelled.add(cancel.orderNo);
    return meta(200, "OK");
  };

  const base = await startFakeServer(options, {
    handle,
    serverError: () => ({ status: 500, body: WMS_DOCUMENTED.internal500 }),
  });
  return Object.assign(base, {
    cancelled,
    refuse: (orderNo: string) => void refused.add(orderNo),
    allow: (orderNo: string) => void refused.delete(orderNo),
    reset: () => {
      base.resetBase();
      refused.clear();
      cancelled.clear();
    },
  });
}
