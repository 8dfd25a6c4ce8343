/**
 * The deterministic demo data set: the same rows, ids and timestamps on every run, so the
 * demo, the docs, the sample CSVs in `public/samples/` and the tests can all name real rows.
 *
 * Well-known rows, forced by hand-written fixtures (ORD-000001 .. ORD-000008), see DEMO_IDS:
 *
 * - SO-000001-1 openSubOrder: open; TSHIRT-M-RED x2, JEANS-32-BLUE x1, MUG-350-BLK x3.
 * - SO-000002-1 processingSubOrder: in_processing; TSHIRT-M-RED 2 of 2 in processing,
 *   SNEAKER-42-WHT x1 open. Strict cancel fails with
 *   `SKU TSHIRT-M-RED: 2 units in processing (picklist released)`.
 * - SO-000002-2 openWmsSubOrder: open, in the 3PL warehouse WH-3PL-TGR04 (WMS connector).
 * - SO-000003-1 shippedSubOrder: shipped; JEANS-32-BLUE 1/1, SNEAKER-42-WHT 2/2 fulfilled.
 * - SO-000004-1 partiallyFulfilledSubOrder: partially_shipped; SNEAKER-42-WHT 3 of 5
 *   fulfilled, MUG-350-BLK x2 open. Cancelling 5 SNEAKER-42-WHT fails with
 *   `requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled`.
 * - SO-000005-1 cancelledSubOrder: cancelled (CUSTOMER_CHANGED_MIND).
 * - SO-000006-1 partiallyCancelledSubOrder: partially_cancelled; TSHIRT-L-BLUE 1 of 3
 *   cancelled (OUT_OF_STOCK), MUG-500-WHT x1 open.
 * - SO-000007-1 fillOrKillSubOrder: DROP-ACME (fill-or-kill), in_processing; JEANS-34-BLK
 *   2 of 4 in processing, SOCKS-M-WHT x3 open. Shipping the 2 cancels the other 2.
 * - SO-000008-1 fillOrKillShippedSubOrder: DROP-ACME, shipped; SNEAKER-41-BLK 2 of 3
 *   shipped, the last one cancelled automatically (FILL_OR_KILL_REMAINDER).
 *
 * Everything else (ORD-000009 .. ORD-002000) comes from a mulberry32 generator with a fixed
 * seed; timestamps derive from BASE_DATE, never from the clock.
 */
import { sql } from "drizzle-orm";
import { holdsInvariant, type LineQuantities } from "@/lib/cancellation/quantities";
import { deriveSubOrderStatus, SUB_ORDER_STATUSES, type SubOrderStatus } from "@/lib/cancellation/status";
import type { Db, DbOrTx } from "./client";
import {
  type CANCELLATION_MODES,
  type CANCELLATION_SOURCES,
  type CHANNEL_CONNECTORS,
  cancellationLines,
  cancellationReasons,
  cancellations,
  channels,
  lineItems,
  orders,
  type REASON_INITIATORS,
  subOrders,
  type WAREHOUSE_CONNECTORS,
  warehouses,
} from "./schema";

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
  /** Strict cancel of its sub-order fails with `SKU TSHIRT-M-RED: 2 units in processing (picklist released)`. */
  processingLine: { subOrderId: "SO-000002-1", sku: "TSHIRT-M-RED", processing: 2 },
  /** Cancelling 5 of it fails with `requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled`. */
  partiallyFulfilledLine: { subOrderId: "SO-000004-1", sku: "SNEAKER-42-WHT", ordered: 5, fulfilled: 3 },
} as const;

export const SEED = 20_261_101;
/** Every timestamp in the data set is derived from this instant. */
export const BASE_DATE = new Date("2026-11-01T00:00:00.000Z");
export const ORDER_COUNT = 2000;
export const SEED_ACTOR_ID = "seed";
const BATCH_SIZE = 500;
/** Serialises concurrent first starts (several instances on one PostgreSQL). */
const SEED_LOCK_ID = 727_002;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Orders are spread over the 30 days before BASE_DATE; reference data is older. */
const ORDERS_FROM = BASE_DATE.getTime() - 30 * DAY;
const REFERENCE_CREATED_AT = new Date(BASE_DATE.getTime() - 90 * DAY);

// ---------------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------------

type Initiator = (typeof REASON_INITIATORS)[number];

export const SEED_REASONS: readonly { code: string; label: string; initiator: Initiator; active: boolean }[] =
  [
    { code: "OUT_OF_STOCK", label: "Out of stock", initiator: "seller", active: true },
    { code: "PRICING_ERROR", label: "Pricing error on the listing", initiator: "seller", active: true },
    {
      code: "CUSTOMER_CHANGED_MIND",
      label: "Customer changed their mind",
      initiator: "customer",
      active: true,
    },
    {
      code: "CUSTOMER_ADDRESS_ISSUE",
      label: "Delivery address cannot be served",
      initiator: "customer",
      active: true,
    },
    { code: "DUPLICATE_ORDER", label: "Duplicate order", initiator: "customer", active: true },
    {
      code: "MARKETPLACE_FRAUD_CHECK",
      label: "Failed the marketplace fraud check",
      initiator: "marketplace",
      active: true,
    },
    {
      code: "MARKETPLACE_POLICY",
      label: "Marketplace policy violation",
      initiator: "marketplace",
      active: true,
    },
    {
      code: "FILL_OR_KILL_REMAINDER",
      label: "Unshipped remainder (fill-or-kill)",
      initiator: "marketplace",
      active: true,
    },
    { code: "OTHER", label: "Other (retired)", initiator: "seller", active: false },
  ];

export const SEED_CHANNELS: readonly {
  id: string;
  name: string;
  connector: (typeof CHANNEL_CONNECTORS)[number];
  fillOrKill: boolean;
}[] = [
  { id: "MKT-NORTHWIND", name: "Northwind Marketplace", connector: "commerce", fillOrKill: false },
  { id: "DROP-ACME", name: "Acme Dropship", connector: "dropship", fillOrKill: true },
  { id: "WEB-STORE", name: "Own web store", connector: "manual", fillOrKill: false },
];

export const SEED_WAREHOUSES: readonly {
  id: string;
  name: string;
  connector: (typeof WAREHOUSE_CONNECTORS)[number];
  externalId: string | null;
}[] = [
  { id: "WH-BLR-01", name: "Bengaluru DC 1", connector: "manual", externalId: null },
  { id: "WH-3PL-TGR04", name: "Tiger Logistics 3PL (TGR04)", connector: "wms", externalId: "TGR04" },
  { id: "WH-DEL-02", name: "Delhi DC 2", connector: "manual", externalId: null },
];

/** Channel order numbers look the way each channel writes them. */
const CHANNEL_ORDER_NUMBERS: Record<string, { prefix: string; start: number; digits: number }> = {
  "MKT-NORTHWIND": { prefix: "NW-", start: 40_010_000, digits: 8 },
  "DROP-ACME": { prefix: "ACME-PO-", start: 730_001, digits: 6 },
  "WEB-STORE": { prefix: "WEB-", start: 100_001, digits: 6 },
};
const CHANNEL_WEIGHTS: readonly (readonly [string, number])[] = [
  ["MKT-NORTHWIND", 50],
  ["DROP-ACME", 20],
  ["WEB-STORE", 30],
];
const WAREHOUSE_WEIGHTS: readonly (readonly [string, number])[] = [
  ["WH-BLR-01", 45],
  ["WH-3PL-TGR04", 30],
  ["WH-DEL-02", 25],
];

/** Prices in integer minor units (paise); a size step makes bigger sizes dearer. */
const PRODUCTS: readonly { base: string; sizes: string[]; colours: string[]; price: number; step: number }[] =
  [
    {
      base: "TSHIRT",
      sizes: ["S", "M", "L", "XL"],
      colours: ["RED", "BLUE", "BLK", "WHT"],
      price: 79_900,
      step: 5_000,
    },
    {
      base: "JEANS",
      sizes: ["30", "32", "34", "36"],
      colours: ["BLUE", "BLK"],
      price: 249_900,
      step: 10_000,
    },
    {
      base: "SNEAKER",
      sizes: ["40", "41", "42", "43", "44"],
      colours: ["WHT", "BLK"],
      price: 449_900,
      step: 0,
    },
    { base: "MUG", sizes: ["350", "500"], colours: ["BLK", "WHT"], price: 34_900, step: 10_000 },
    { base: "HOODIE", sizes: ["M", "L", "XL"], colours: ["GRY", "NVY"], price: 199_900, step: 10_000 },
    { base: "CAP", sizes: ["OS"], colours: ["RED", "BLK"], price: 59_900, step: 0 },
    { base: "SOCKS", sizes: ["M", "L"], colours: ["WHT", "BLK"], price: 29_900, step: 0 },
    { base: "BACKPACK", sizes: ["20L", "30L"], colours: ["BLK", "GRN"], price: 279_900, step: 40_000 },
  ];

/** Every SKU the demo sells, with its unit price. */
export const SKU_CATALOGUE: ReadonlyMap<string, number> = new Map(
  PRODUCTS.flatMap((p) =>
    p.sizes.flatMap((size, i) =>
      p.colours.map((colour) => [`${p.base}-${size}-${colour}`, p.price + i * p.step]),
    ),
  ),
);
const SKUS = [...SKU_CATALOGUE.keys()];

const CUSTOMERS = [
  "Aarav Sharma",
  "Priya Nair",
  "Rohan Mehta",
  "Ananya Iyer",
  "Vikram Rao",
  "Meera Pillai",
  "Kabir Singh",
  "Isha Gupta",
  "Arjun Reddy",
  "Diya Menon",
  "Sanjay Kulkarni",
  "Neha Joshi",
  "Emma Schmidt",
  "Lucas Martin",
  "Sofia Rossi",
  "Noah Williams",
  "Olivia Brown",
  "Mateo García",
  "Yuki Tanaka",
  "Amara Okafor",
  "Fatima Khan",
  "Liam O'Connor",
  "Chloé Dubois",
  "Hana Kim",
] as const;

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast PRNG; the same seed always yields the same sequence in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Random = ReturnType<typeof createRandom>;

export function createRandom(seed: number) {
  const next = mulberry32(seed);
  const at = <T>(items: readonly T[], index: number): T => {
    const item = items[index];
    if (item === undefined) throw new Error(`index ${index} out of range`);
    return item;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => at(items, Math.floor(next() * items.length)),
    weighted: <T>(entries: readonly (readonly [T, number])[]): T => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of entries) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return at(entries, entries.length - 1)[0];
    },
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
      }
      return copy;
    },
    /** A version-4-shaped UUID made from the stream (deterministic, unlike gen_random_uuid). */
    uuid: () => {
      const bytes = Array.from({ length: 16 }, () => Math.floor(next() * 256));
      bytes[6] = (at(bytes, 6) & 0x0f) | 0x40;
      bytes[8] = (at(bytes, 8) & 0x3f) | 0x80;
      const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The generated data set (pure: no database)
// ---------------------------------------------------------------------------------------------

export type SeedOrder = typeof orders.$inferInsert & { createdAt: Date };
export type SeedSubOrder = typeof subOrders.$inferInsert & { status: SubOrderStatus };
export type SeedLine = LineQuantities & {
  subOrderId: string;
  sku: string;
  unitPriceMinor: number;
  createdAt: Date;
  updatedAt: Date;
};
export type SeedCancellation = {
  id: string;
  subOrderId: string;
  mode: (typeof CANCELLATION_MODES)[number];
  source: (typeof CANCELLATION_SOURCES)[number];
  reasonCode: string;
  createdAt: Date;
  resolvedAt: Date;
  lines: { sku: string; quantity: number }[];
};
export type SeedData = {
  orders: SeedOrder[];
  subOrders: SeedSubOrder[];
  lineItems: SeedLine[];
  cancellations: SeedCancellation[];
};

/** A line while it is being shaped: cancelled units are kept apart by who cancelled them. */
type DraftLine = {
  sku: string;
  ordered: number;
  fulfilled: number;
  processing: number;
  /** Cancelled by a person or a marketplace decision (one ledger entry per sub-order). */
  manualCancelled: number;
  /** Cancelled automatically by the channel's fill-or-kill policy (its own ledger entry). */
  autoCancelled: number;
};

const quantitiesOf = (l: DraftLine): LineQuantities => ({
  ordered: l.ordered,
  fulfilled: l.fulfilled,
  processing: l.processing,
  cancelled: l.manualCancelled + l.autoCancelled,
  pendingCancel: 0,
});

type FixtureSubOrder = {
  warehouseId: string;
  status: SubOrderStatus;
  reasonCode?: string;
  lines: (Pick<DraftLine, "sku" | "ordered"> &
    Partial<Pick<DraftLine, "fulfilled" | "processing">> & {
      cancelled?: number;
    })[];
};
type FixtureOrder = { channelId: string; customerName: string; subOrders: FixtureSubOrder[] };

/** ORD-000001 .. ORD-000008: the rows DEMO_IDS promise. */
const FIXTURES: readonly FixtureOrder[] = [
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
    channelId: "DROP-ACME",
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
    channelId: "DROP-ACME",
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
];

const LINE_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 22],
  [2, 31],
  [3, 24],
  [4, 13],
  [5, 10],
];
const QUANTITY_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 45],
  [2, 28],
  [3, 13],
  [4, 8],
  [5, 4],
  [6, 2],
];
const MANUAL_REASONS = [
  "OUT_OF_STOCK",
  "PRICING_ERROR",
  "CUSTOMER_CHANGED_MIND",
  "CUSTOMER_ADDRESS_ISSUE",
  "DUPLICATE_ORDER",
  "MARKETPLACE_FRAUD_CHECK",
  "MARKETPLACE_POLICY",
] as const;
const LINE_REASONS = ["OUT_OF_STOCK", "PRICING_ERROR", "CUSTOMER_CHANGED_MIND"] as const;
const MARKETPLACE_REASONS = new Set(["MARKETPLACE_FRAUD_CHECK", "MARKETPLACE_POLICY"]);

/** Older orders have moved on (shipped, cancelled); the newest are mostly still open. */
function statusWeights(age: number): [SubOrderStatus, number][] {
  const fresh = 1 - age; // 1 for the newest order, 0 for the oldest
  return [
    ["open", 0.15 + 0.45 * fresh],
    ["in_processing", 0.08 + 0.12 * fresh],
    ["partially_shipped", 0.12 - 0.04 * fresh],
    ["shipped", 0.35 - 0.3 * fresh],
    ["cancelled", 0.15 - 0.08 * fresh],
    ["partially_cancelled", 0.15 - 0.05 * fresh],
  ];
}

/** Moves line quantities towards `target`; the caller checks the derived status and retries. */
function shapeLines(target: SubOrderStatus, lines: DraftLine[], rng: Random): void {
  for (const line of lines) {
    const o = line.ordered;
    const some = () => rng.int(1, o - 1); // only called when o >= 2
    const roll = rng.next();
    switch (target) {
      case "open":
        break;
      case "cancelled":
        line.manualCancelled = o;
        break;
      case "partially_cancelled":
        if (roll < 0.35) line.manualCancelled = o;
        else if (roll < 0.7 && o >= 2) line.manualCancelled = some();
        break;
      case "in_processing":
        if (roll < 0.5) line.processing = o;
        else if (roll < 0.7 && o >= 2) line.processing = some();
        else if (roll < 0.78) line.manualCancelled = o;
        break;
      case "partially_shipped":
        if (roll < 0.35) line.fulfilled = o;
        else if (roll < 0.6 && o >= 2) {
          line.fulfilled = some();
          if (rng.chance(0.5)) line.processing = o - line.fulfilled;
        } else if (roll < 0.8) line.processing = o;
        break;
      case "shipped":
        if (roll < 0.12 && o >= 2) {
          line.fulfilled = some();
          line.manualCancelled = o - line.fulfilled;
        } else if (roll < 0.17) line.manualCancelled = o;
        else line.fulfilled = o;
        break;
    }
  }
}

/** Fill-or-kill: once part of a line has shipped, its open remainder is cancelled. */
function applyFillOrKill(lines: DraftLine[]): void {
  for (const line of lines) {
    if (line.fulfilled === 0) continue;
    const open = line.ordered - line.fulfilled - line.processing - line.manualCancelled - line.autoCancelled;
    line.autoCancelled += open;
  }
}

function draftLines(rng: Random): DraftLine[] {
  const count = rng.weighted(LINE_COUNT_WEIGHTS);
  const skus = new Set<string>();
  while (skus.size < count) skus.add(rng.pick(SKUS));
  return [...skus].map((sku) => ({
    sku,
    ordered: rng.weighted(QUANTITY_WEIGHTS),
    fulfilled: 0,
    processing: 0,
    manualCancelled: 0,
    autoCancelled: 0,
  }));
}

function generateLines(target: SubOrderStatus, fillOrKill: boolean, rng: Random): DraftLine[] {
  for (let attempt = 0; attempt < 500; attempt++) {
    const lines = draftLines(rng);
    shapeLines(target, lines, rng);
    if (fillOrKill) applyFillOrKill(lines);
    if (deriveSubOrderStatus(lines.map(quantitiesOf)) === target) return lines;
  }
  throw new Error(`seed: could not shape a ${target} sub-order`);
}

function fixtureLines(fixture: FixtureSubOrder, fillOrKill: boolean): DraftLine[] {
  const lines = fixture.lines.map((l) => ({
    sku: l.sku,
    ordered: l.ordered,
    fulfilled: l.fulfilled ?? 0,
    processing: l.processing ?? 0,
    manualCancelled: l.cancelled ?? 0,
    autoCancelled: 0,
  }));
  if (fillOrKill) applyFillOrKill(lines);
  return lines;
}

const pad = (n: number, digits: number) => String(n).padStart(digits, "0");
const clampToBase = (ms: number) => Math.min(ms, BASE_DATE.getTime() - MINUTE);

/** The whole demo data set, computed in memory. Same output on every call. */
export function generateSeedData(): SeedData {
  const rng = createRandom(SEED);
  const data: SeedData = { orders: [], subOrders: [], lineItems: [], cancellations: [] };
  const channelById = new Map(SEED_CHANNELS.map((c) => [c.id, c]));
  const nextChannelNo = new Map(Object.entries(CHANNEL_ORDER_NUMBERS).map(([id, f]) => [id, f.start]));
  const gap = (BASE_DATE.getTime() - ORDERS_FROM) / ORDER_COUNT;

  for (let index = 0; index < ORDER_COUNT; index++) {
    const fixture = FIXTURES[index];
    const orderId = `ORD-${pad(index + 1, 6)}`;
    const createdMs = Math.round(ORDERS_FROM + index * gap + rng.next() * 0.8 * gap);
    const createdAt = new Date(Math.floor(createdMs / 1000) * 1000);
    const channelId = fixture?.channelId ?? rng.weighted(CHANNEL_WEIGHTS);
    const channel = channelById.get(channelId);
    const format = CHANNEL_ORDER_NUMBERS[channelId];
    const channelNo = nextChannelNo.get(channelId);
    if (!channel || !format || channelNo === undefined) throw new Error(`seed: unknown channel ${channelId}`);
    nextChannelNo.set(channelId, channelNo + rng.int(1, 7));
    data.orders.push({
      id: orderId,
      channelId,
      channelOrderNo: `${format.prefix}${pad(channelNo, format.digits)}`,
      customerName: fixture?.customerName ?? rng.pick(CUSTOMERS),
      createdAt,
      updatedAt: createdAt,
    });

    const plans: { warehouseId: string; lines: DraftLine[]; reasonCode?: string }[] = [];
    if (fixture) {
      for (const sub of fixture.subOrders) {
        const lines = fixtureLines(sub, channel.fillOrKill);
        const status = deriveSubOrderStatus(lines.map(quantitiesOf));
        if (status !== sub.status)
          throw new Error(`seed fixture for ${orderId}: ${status}, not ${sub.status}`);
        plans.push({ warehouseId: sub.warehouseId, lines, reasonCode: sub.reasonCode });
      }
    } else {
      const age = 1 - index / ORDER_COUNT;
      const first = rng.weighted(WAREHOUSE_WEIGHTS);
      const warehouseIds = rng.chance(0.5)
        ? [first, rng.weighted(WAREHOUSE_WEIGHTS.filter(([id]) => id !== first))]
        : [first];
      for (const warehouseId of warehouseIds) {
        const target = rng.weighted(statusWeights(age));
        plans.push({ warehouseId, lines: generateLines(target, channel.fillOrKill, rng) });
      }
    }

    plans.forEach((plan, i) => {
      const subOrderId = `SO-${pad(index + 1, 6)}-${i + 1}`;
      const cancelled = addCancellations(data, subOrderId, plan.lines, createdAt, plan.reasonCode, rng);
      // Warehouse events (allocation, shipping) happen some hours after the order.
      const movedAt = new Date(clampToBase(createdAt.getTime() + rng.int(2, 60) * HOUR));
      let subUpdatedAt = createdAt;
      for (const line of plan.lines) {
        const quantities = quantitiesOf(line);
        if (!holdsInvariant(quantities))
          throw new Error(`seed: invariant broken on ${subOrderId} ${line.sku}`);
        const moved = line.fulfilled + line.processing > 0 ? movedAt : createdAt;
        const lastCancel = cancelled.get(line.sku);
        const updatedAt = lastCancel && lastCancel > moved ? lastCancel : moved;
        if (updatedAt > subUpdatedAt) subUpdatedAt = updatedAt;
        const unitPriceMinor = SKU_CATALOGUE.get(line.sku);
        if (unitPriceMinor === undefined) throw new Error(`seed: SKU ${line.sku} is not in the catalogue`);
        data.lineItems.push({
          subOrderId,
          sku: line.sku,
          unitPriceMinor,
          ...quantities,
          createdAt,
          updatedAt,
        });
      }
      data.subOrders.push({
        id: subOrderId,
        orderId,
        warehouseId: plan.warehouseId,
        status: deriveSubOrderStatus(plan.lines.map(quantitiesOf)),
        createdAt,
        updatedAt: subUpdatedAt,
      });
    });
  }
  return data;
}

/**
 * Ledger entries backing the cancelled units of one sub-order: one for what people or the
 * marketplace cancelled, one for what fill-or-kill cancelled. Returns each line's last change.
 */
function addCancellations(
  data: SeedData,
  subOrderId: string,
  lines: DraftLine[],
  orderCreatedAt: Date,
  fixedReason: string | undefined,
  rng: Random,
): Map<string, Date> {
  const changedAt = new Map<string, Date>();
  const manual = lines.filter((l) => l.manualCancelled > 0);
  if (manual.length > 0) {
    const whole = lines.every((l) => l.manualCancelled === l.ordered);
    const reasonCode = fixedReason ?? (whole ? rng.pick(MANUAL_REASONS) : rng.pick(LINE_REASONS));
    const createdAt = new Date(clampToBase(orderCreatedAt.getTime() + rng.int(5, 36 * 60) * MINUTE));
    data.cancellations.push({
      id: rng.uuid(),
      subOrderId,
      mode: whole ? "strict" : "line_items",
      source: MARKETPLACE_REASONS.has(reasonCode) ? "automatic" : "single",
      reasonCode,
      createdAt,
      resolvedAt: new Date(createdAt.getTime() + rng.int(1, 20) * 1000),
      lines: manual.map((l) => ({ sku: l.sku, quantity: l.manualCancelled })),
    });
    for (const l of manual) changedAt.set(l.sku, createdAt);
  }
  const automatic = lines.filter((l) => l.autoCancelled > 0);
  if (automatic.length > 0) {
    const createdAt = new Date(clampToBase(orderCreatedAt.getTime() + rng.int(37, 72) * HOUR));
    data.cancellations.push({
      id: rng.uuid(),
      subOrderId,
      mode: "line_items",
      source: "automatic",
      reasonCode: "FILL_OR_KILL_REMAINDER",
      createdAt,
      resolvedAt: new Date(createdAt.getTime() + 1000),
      lines: automatic.map((l) => ({ sku: l.sku, quantity: l.autoCancelled })),
    });
    for (const l of automatic) changedAt.set(l.sku, createdAt);
  }
  return changedAt;
}

// ---------------------------------------------------------------------------------------------
// Loading it
// ---------------------------------------------------------------------------------------------

export const SEED_TABLES = [
  "cancellationReasons",
  "channels",
  "warehouses",
  "orders",
  "subOrders",
  "lineItems",
  "cancellations",
  "cancellationLines",
] as const;
export type SeedCounts = Record<(typeof SEED_TABLES)[number], number>;

export type SeedSummary =
  | { seeded: false; message: string }
  | { seeded: true; message: string; counts: SeedCounts; statuses: Record<SubOrderStatus, number> };

/** True when the database holds no demo or real data yet (no channel exists). */
export async function isDatabaseEmpty(db: DbOrTx): Promise<boolean> {
  const rows = await db.select({ id: channels.id }).from(channels).limit(1);
  return rows.length === 0;
}

function chunks<T>(rows: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Loads the demo data set into an empty database, in one transaction. A database that
 * already has channels is left alone. Safe when several processes start at once.
 */
export async function seedDatabase(db: Db): Promise<SeedSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(SEED_LOCK_ID))})`);
    if (!(await isDatabaseEmpty(tx))) {
      return { seeded: false, message: "The database already has data (channels exist): nothing seeded." };
    }
    const data = generateSeedData();
    const reference = { createdAt: REFERENCE_CREATED_AT, updatedAt: REFERENCE_CREATED_AT };
    await tx.insert(cancellationReasons).values(SEED_REASONS.map((r) => ({ ...r, ...reference })));
    await tx.insert(channels).values(SEED_CHANNELS.map((c) => ({ ...c, baseUrl: null, ...reference })));
    await tx.insert(warehouses).values(SEED_WAREHOUSES.map((w) => ({ ...w, baseUrl: null, ...reference })));
    for (const chunk of chunks(data.orders)) await tx.insert(orders).values(chunk);
    for (const chunk of chunks(data.subOrders)) {
      await tx.insert(subOrders).values(chunk.map(({ status: _status, ...row }) => row));
    }

    const lineIds = new Map<string, number>();
    for (const chunk of chunks(data.lineItems)) {
      const inserted = await tx
        .insert(lineItems)
        .values(chunk)
        .returning({ id: lineItems.id, subOrderId: lineItems.subOrderId, sku: lineItems.sku });
      for (const row of inserted) lineIds.set(`${row.subOrderId}|${row.sku}`, row.id);
    }

    const ledgerRows = data.cancellations.map(({ lines: _lines, ...entry }) => ({
      ...entry,
      status: "CONFIRMED" as const,
      actorType: "system" as const,
      actorId: SEED_ACTOR_ID,
      updatedAt: entry.resolvedAt,
    }));
    for (const chunk of chunks(ledgerRows)) await tx.insert(cancellations).values(chunk);
    const ledgerLines = data.cancellations.flatMap((entry) =>
      entry.lines.map((line) => {
        const lineItemId = lineIds.get(`${entry.subOrderId}|${line.sku}`);
        if (lineItemId === undefined) throw new Error(`seed: no line ${line.sku} on ${entry.subOrderId}`);
        return {
          cancellationId: entry.id,
          lineItemId,
          quantity: line.quantity,
          createdAt: entry.createdAt,
          updatedAt: entry.createdAt,
        };
      }),
    );
    for (const chunk of chunks(ledgerLines)) await tx.insert(cancellationLines).values(chunk);

    const statuses = Object.fromEntries(SUB_ORDER_STATUSES.map((s) => [s, 0])) as Record<
      SubOrderStatus,
      number
    >;
    for (const sub of data.subOrders) statuses[sub.status] += 1;
    const counts: SeedCounts = {
      cancellationReasons: SEED_REASONS.length,
      channels: SEED_CHANNELS.length,
      warehouses: SEED_WAREHOUSES.length,
      orders: data.orders.length,
      subOrders: data.subOrders.length,
      lineItems: data.lineItems.length,
      cancellations: data.cancellations.length,
      cancellationLines: ledgerLines.length,
    };
    return {
      seeded: true,
      message: `Seeded ${counts.orders} orders, ${counts.subOrders} sub-orders, ${counts.lineItems} line items.`,
      counts,
      statuses,
    };
  });
}
