/** ORD-000001 .. ORD-000009: hand-written rows in every state, which DEMO_IDS name (see ./index.ts). */
import type { SubOrderStatus } from "@/lib/cancellation/status";
import type { DraftLine } from "./generator";

export const DEMO_IDS = {
  openOrder: "ORD-000001",
  openSubOrder: "SO-000001-1",
  processingSubOrder: "SO-000002-1",
  openWmsSubOrder: "SO-000002-2",
  shippedSubOrder: "SO-000003-1",
  partiallyFulfilledSubOrder: "SO-000004-1",
  cancelledSubOrder: "SO-000005-1",
  partiallyCancelledSubOrder: "SO-000006-1",
  fillOrKillSubOrder: "SO-000007-1",
  fillOrKillShippedSubOrder: "SO-000008-1",
  partialQuantitySubOrder: "SO-000009-1",
  /** One channel per policy and contract (reference-data.ts, SEED_CHANNELS). */
  channels: {
    /** Commerce platform (seeds/004), whole lines only, integer ids, INR. */
    commerce: "MKT-NORTHWIND",
    /** Dropship API (seeds/003), partial quantities, Mongo-style ids, INR. */
    dropship: "DROP-ACME",
    /** Own web store, manual, partial quantities, INR. */
    webStore: "WEB-STORE",
    /** Seller portal (seeds/002), manual, whole lines only and fill-or-kill, USD. */
    sellerPortal: "PORTAL-HARBOR",
  },
  /** Strict cancel of its sub-order fails with `SKU TSHIRT-M-RED: 2 units in processing (picklist released)`. */
  processingLine: { subOrderId: "SO-000002-1", sku: "TSHIRT-M-RED", processing: 2 },
  /** Cancelling 5 of it fails with `requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled`. */
  partiallyFulfilledLine: { subOrderId: "SO-000004-1", sku: "SNEAKER-42-WHT", ordered: 5, fulfilled: 3 },
  /** On MKT-NORTHWIND (whole lines only): cancelling 1 of the 2 is refused, cancelling both is not. */
  wholeLinesLine: { subOrderId: "SO-000002-2", sku: "CAP-OS-RED", ordered: 2 },
  /** On DROP-ACME (partial quantities): cancelling 1 of the 4 keeps 3 (the API's `newQuantity`). */
  partialQuantityLine: { subOrderId: "SO-000009-1", sku: "TSHIRT-L-BLK", ordered: 4 },
} as const;

export type FixtureSubOrder = {
  warehouseId: string;
  status: SubOrderStatus;
  reasonCode?: string;
  lines: (Pick<DraftLine, "sku" | "ordered"> &
    Partial<Pick<DraftLine, "fulfilled" | "processing">> & {
      cancelled?: number;
    })[];
};
export type FixtureOrder = { channelId: string; customerName: string; subOrders: FixtureSubOrder[] };

/** ORD-000001 .. ORD-000009: the rows DEMO_IDS promise. */
export const FIXTURES: readonly FixtureOrder[] = [
  {
    channelId: "WEB-STORE",
    customerName: "Priya Nair",
    subOrders: [
      {
        warehouseId: "WH-BLR-01",
        status: "open",
        lines: [
          { sku: "TSHIRT-M-RED", ordered: 2 },
          { sku: "JEANS-32-BLUE", ordered: 1 },
          { sku: "MUG-350-BLK", ordered: 3 },
        ],
      },
    ],
  },
  {
    channelId: "MKT-NORTHWIND",
    customerName: "Aarav Sharma",
    subOrders: [
      {
        warehouseId: "WH-BLR-01",
        status: "in_processing",
        lines: [
          { sku: "TSHIRT-M-RED", ordered: 2, processing: 2 },
          { sku: "SNEAKER-42-WHT", ordered: 1 },
        ],
      },
      {
        warehouseId: "WH-3PL-TGR04",
        status: "open",
        lines: [
          { sku: "HOODIE-M-NVY", ordered: 1 },
          { sku: "CAP-OS-RED", ordered: 2 },
        ],
      },
    ],
  },
  {
    channelId: "MKT-NORTHWIND",
    customerName: "Emma Schmidt",
    subOrders: [
      {
        warehouseId: "WH-DEL-02",
        status: "shipped",
        lines: [
          { sku: "JEANS-32-BLUE", ordered: 1, fulfilled: 1 },
          { sku: "SNEAKER-42-WHT", ordered: 2, fulfilled: 2 },
        ],
      },
    ],
  },
  {
    channelId: "WEB-STORE",
    customerName: "Rohan Mehta",
    subOrders: [
      {
        warehouseId: "WH-BLR-01",
        status: "partially_shipped",
        lines: [
          { sku: "SNEAKER-42-WHT", ordered: 5, fulfilled: 3 },
          { sku: "MUG-350-BLK", ordered: 2 },
        ],
      },
    ],
  },
  {
    channelId: "MKT-NORTHWIND",
    customerName: "Sofia Rossi",
    subOrders: [
      {
        warehouseId: "WH-DEL-02",
        status: "cancelled",
        reasonCode: "CUSTOMER_CHANGED_MIND",
        lines: [
          { sku: "HOODIE-L-GRY", ordered: 1, cancelled: 1 },
          { sku: "CAP-OS-BLK", ordered: 2, cancelled: 2 },
        ],
      },
    ],
  },
  {
    channelId: "WEB-STORE",
    customerName: "Kabir Singh",
    subOrders: [
      {
        warehouseId: "WH-BLR-01",
        status: "partially_cancelled",
        reasonCode: "OUT_OF_STOCK",
        lines: [
          { sku: "TSHIRT-L-BLUE", ordered: 3, cancelled: 1 },
          { sku: "MUG-500-WHT", ordered: 1 },
        ],
      },
    ],
  },
  {
    channelId: "PORTAL-HARBOR",
    customerName: "Lucas Martin",
    subOrders: [
      {
        warehouseId: "WH-3PL-TGR04",
        status: "in_processing",
        lines: [
          { sku: "JEANS-34-BLK", ordered: 4, processing: 2 },
          { sku: "SOCKS-M-WHT", ordered: 3 },
        ],
      },
    ],
  },
  {
    channelId: "PORTAL-HARBOR",
    customerName: "Hana Kim",
    subOrders: [
      {
        warehouseId: "WH-DEL-02",
        status: "shipped",
        // The fill-or-kill rule cancels the unshipped remainder of SNEAKER-41-BLK.
        lines: [{ sku: "SNEAKER-41-BLK", ordered: 3, fulfilled: 2 }],
      },
    ],
  },
  {
    channelId: "DROP-ACME",
    customerName: "Noah Williams",
    subOrders: [
      {
        warehouseId: "WH-BLR-01",
        status: "open",
        lines: [
          { sku: "TSHIRT-L-BLK", ordered: 4 },
          { sku: "SOCKS-L-BLK", ordered: 2 },
        ],
      },
    ],
  },
];
