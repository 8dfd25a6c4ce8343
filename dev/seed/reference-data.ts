/** The demo's reference data: reasons, channels, warehouses, products and customers, and its clock. */
import type { CHANNEL_CONNECTORS, REASON_INITIATORS, WAREHOUSE_CONNECTORS } from "@/db/schema";

export const SEED = 20_261_101;
/** Every timestamp in the data set is derived from this instant. */
export const BASE_DATE = new Date("2026-11-01T00:00:00.000Z");
export const ORDER_COUNT = 2000;
export const SEED_ACTOR_ID = "seed";
export const BATCH_SIZE = 500;
/** Serialises concurrent first starts (several instances on one PostgreSQL). */
export const SEED_LOCK_ID = 727_002;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Orders are spread over the 30 days before BASE_DATE; reference data is older. */
export const ORDERS_FROM = BASE_DATE.getTime() - 30 * DAY;
export const REFERENCE_CREATED_AT = new Date(BASE_DATE.getTime() - 90 * DAY);

export type Initiator = (typeof REASON_INITIATORS)[number];

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
export const CHANNEL_ORDER_NUMBERS: Record<string, { prefix: string; start: number; digits: number }> = {
  "MKT-NORTHWIND": { prefix: "NW-", start: 40_010_000, digits: 8 },
  "DROP-ACME": { prefix: "ACME-PO-", start: 730_001, digits: 6 },
  "WEB-STORE": { prefix: "WEB-", start: 100_001, digits: 6 },
};
export const CHANNEL_WEIGHTS: readonly (readonly [string, number])[] = [
  ["MKT-NORTHWIND", 50],
  ["DROP-ACME", 20],
  ["WEB-STORE", 30],
];
export const WAREHOUSE_WEIGHTS: readonly (readonly [string, number])[] = [
  ["WH-BLR-01", 45],
  ["WH-3PL-TGR04", 30],
  ["WH-DEL-02", 25],
];

/** Prices in integer minor units (paise); a size step makes bigger sizes dearer. */
export const PRODUCTS: readonly {
  base: string;
  sizes: string[];
  colours: string[];
  price: number;
  step: number;
}[] = [
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
export const SKUS = [...SKU_CATALOGUE.keys()];

export const CUSTOMERS = [
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
