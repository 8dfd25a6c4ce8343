/**
 * The WMS "Cancel Sales Order B2C" contract (seeds/001, Shipper API, last updated 16 Aug 2022),
 * shared by the adapter and the fake so both speak exactly what the document shows.
 */

export const WMS_CANCEL_PATH = "/v3/fulfillment/outbound/oms/cancel";
export const WMS_CANCEL_METHOD = "PATCH";

/** Field limits from the document's table: order_no string(50), warehouse_id string(20), cancel_reason String(50). */
export const WMS_LIMITS = { orderNo: 50, warehouseId: 20, cancelReason: 50 } as const;

export type WmsCancelBody = {
  data: { cancellation: { order_no: string; cancel_reason: string; warehouse_id: string } };
};

export const WMS_ERROR_CODES = {
  invalidInput: 810,
  unauthorized: 802,
  internal: 803,
} as const;

/**
 * The four sample bodies of the document, verbatim (including the 401 sample's own quirks: a
 * different shape with `status_code`/`error`, a `/v1/` path in its message and an ISO timestamp).
 */
export const WMS_DOCUMENTED = {
  sampleRequest: {
    data: {
      cancellation: {
        order_no: "KZFILN0HRC9RDXJTZBJS",
        cancel_reason: "cancel aja",
        warehouse_id: "PMU",
      },
    },
  },
  ok200: {
    metadata: {
      path: "/v3/fulfillment/outbound/oms/cancel",
      http_status_code: 200,
      http_status: "OK",
      timestamp: 1637907242,
    },
  },
  invalidInput400: {
    metadata: {
      path: "/v3/fulfillment/outbound/oms/cancel",
      http_status_code: 400,
      http_status: "Bad Request",
      errors: [
        {
          code: 810,
          message: "Invalid Input. Please Validate Your Input.",
        },
      ],
      timestamp: 1637907103,
    },
  },
  unauthorized401: {
    metadata: {
      path: "/v3/fulfillment/outbound/oms/cancel",
      status_code: 401,
      status: "Unauthorized",
      message: "PATCH /v1/fulfillment/outbound/oms/cancel [401] Unauthorized",
      error: {
        code: 802,
        message: "Unauthorized Access. You are not authorized to access this resource.",
      },
      timestamp: "2022-05-12T04:04:19Z",
    },
  },
  internal500: {
    metadata: {
      path: "/v3/fulfillment/outbound/oms/cancel",
      http_status_code: 500,
      http_status: "Internal Server Error",
      errors: [
        {
          code: 803,
          message: "Internal Server error.",
        },
      ],
      timestamp: 1652326659,
    },
  },
} as const;

/** A 400 in the documented shape with our own message (used by the fake for refusals). */
export function wmsErrorBody(status: number, httpStatus: string, code: number, message: string) {
  return {
    metadata: {
      path: WMS_CANCEL_PATH,
      http_status_code: status,
      http_status: httpStatus,
      errors: [{ code, message }],
      timestamp: Math.floor(Date.now() / 1000),
    },
  };
}
