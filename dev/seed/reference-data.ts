/**
 * The demo's reference data: reasons, channels (with their policies, currencies and reason
 * mappings), warehouses, products and customers, and its clock.
 */
import type { CHANNEL_CONNECTORS, REASON_INITIATORS, WAREHOUSE_CONNECTORS } from "@/db/schema";

export const SEED = 20_261_101;
/**
 * The channels' own ids come from a stream of their own (SEED + 1 is the sample CSVs'), so giving
 * a channel ids never reshapes the orders themselves.
 */
export const CHANNEL_ID_SEED = SEED + 2;
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

/**
 * The reason automatic fill-or-kill cancellations carry. Migration 0010 inserts it in every
 * deployment, so the seed uses it and never inserts it again.
 */
export const FILL_OR_KILL_REASON = "FILL_OR_KILL";

/** The reasons the seed inserts (FILL_OR_KILL_REASON comes from the migrations). */
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
    { code: "OTHER", label: "Other (retired)", initiator: "seller", active: false },
  ];

export const CURRENCIES = ["INR", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];

export type SeedChannel = {
  id: string;
  name: string;
  /** Also decides the shape of the channel's own ids (see ./channel-ids.ts). */
  connector: (typeof CHANNEL_CONNECTORS)[number];
  /** False: whole lines only; a line is cancelled entirely or not at all. */
  partialQuantities: boolean;
  /** A partial shipment of a line cancels the rest of it (processing units included). */
  fillOrKill: boolean;
  /** Commerce `is_cargo_refund`. */
  cargoRefund: boolean;
  /** The currency the channel sells in: every order of the channel, and its prices, are in it. */
  currency: Currency;
};

/**
 * One channel per policy and contract:
 * - MKT-NORTHWIND, the commerce platform of seeds/004: whole lines only (it cancels whole order
 *   items), the shipping cost refunded on a cancel; integer order and order item ids.
 * - DROP-ACME, the dropship API of seeds/003: partial quantities (`newQuantity`); Mongo-style ids.
 * - WEB-STORE, our own web store: partial quantities, no remote (manual), readable ids.
 * - PORTAL-HARBOR, the seller portal of seeds/002: whole lines only and fill-or-kill, no API
 *   (manual), selling in US dollars; its ids are its purchase order numbers and line numbers.
 */
export const SEED_CHANNELS: readonly SeedChannel[] = [
  {
    id: "MKT-NORTHWIND",
    name: "Northwind Marketplace",
    connector: "commerce",
    partialQuantities: false,
    fillOrKill: false,
    cargoRefund: true,
    currency: "INR",
  },
  {
    id: "DROP-ACME",
    name: "Acme Dropship",
    connector: "dropship",
    partialQuantities: true,
    fillOrKill: false,
    cargoRefund: false,
    currency: "INR",
  },
  {
    id: "WEB-STORE",
    name: "Own web store",
    connector: "manual",
    partialQuantities: true,
    fillOrKill: false,
    cargoRefund: false,
    currency: "INR",
  },
  {
    id: "PORTAL-HARBOR",
    name: "Harbor Club Seller Portal",
    connector: "manual",
    partialQuantities: false,
    fillOrKill: true,
    cargoRefund: false,
    currency: "USD",
  },
];

/**
 * How each channel names our reasons (channel_reason_codes), one-to-one per channel. The commerce
 * platform takes integer reason codes and needs every active reason; the seller portal shows its
 * own reason texts (and fills in the member's reason on their cancel requests); the dropship API
 * takes no reason on a cancel, so it only needs the customer reasons its partner's cancel
 * requests carry. The web store uses our codes as they are.
 */
export const SEED_CHANNEL_REASON_CODES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "MKT-NORTHWIND": {
    OUT_OF_STOCK: "1",
    PRICING_ERROR: "3",
    CUSTOMER_CHANGED_MIND: "4",
    CUSTOMER_ADDRESS_ISSUE: "7",
    DUPLICATE_ORDER: "8",
    MARKETPLACE_FRAUD_CHECK: "11",
    MARKETPLACE_POLICY: "12",
    [FILL_OR_KILL_REASON]: "15",
  },
  "PORTAL-HARBOR": {
    OUT_OF_STOCK: "Out of stock",
    PRICING_ERROR: "Pricing error",
    CUSTOMER_CHANGED_MIND: "Member request: no longer wanted",
    CUSTOMER_ADDRESS_ISSUE: "Member request: address cannot be served",
    DUPLICATE_ORDER: "Member request: duplicate order",
    MARKETPLACE_FRAUD_CHECK: "Fraud review",
    MARKETPLACE_POLICY: "Policy violation",
    [FILL_OR_KILL_REASON]: "Fill or kill",
  },
  "DROP-ACME": {
    CUSTOMER_CHANGED_MIND: "customer_request",
    CUSTOMER_ADDRESS_ISSUE: "undeliverable_address",
    DUPLICATE_ORDER: "duplicate_order",
  },
};

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
  "PORTAL-HARBOR": { prefix: "PO-", start: 4_500_120_001, digits: 10 },
};
export const CHANNEL_WEIGHTS: readonly (readonly [string, number])[] = [
  ["MKT-NORTHWIND", 45],
  ["DROP-ACME", 20],
  ["WEB-STORE", 25],
  ["PORTAL-HARBOR", 10],
];
export const WAREHOUSE_WEIGHTS: readonly (readonly [string, number])[] = [
  ["WH-BLR-01", 45],
  ["WH-3PL-TGR04", 30],
  ["WH-DEL-02", 25],
];

/**
 * Prices in integer minor units of each currency (paise, cents); a size step makes bigger sizes
 * dearer.
 */
export const PRODUCTS: readonly {
  base: string;
  sizes: string[];
  colours: string[];
  price: Record<Currency, number>;
  step: Record<Currency, number>;
}[] = [
  {
    base: "TSHIRT",
    sizes: ["S", "M", "L", "XL"],
    colours: ["RED", "BLUE", "BLK", "WHT"],
    price: { INR: 79_900, USD: 999 },
    step: { INR: 5_000, USD: 100 },
  },
  {
    base: "JEANS",
    sizes: ["30", "32", "34", "36"],
    colours: ["BLUE", "BLK"],
    price: { INR: 249_900, USD: 2_999 },
    step: { INR: 10_000, USD: 200 },
  },
  {
    base: "SNEAKER",
    sizes: ["40", "41", "42", "43", "44"],
    colours: ["WHT", "BLK"],
    price: { INR: 449_900, USD: 5_499 },
    step: { INR: 0, USD: 0 },
  },
  {
    base: "MUG",
    sizes: ["350", "500"],
    colours: ["BLK", "WHT"],
    price: { INR: 34_900, USD: 499 },
    step: { INR: 10_000, USD: 100 },
  },
  {
    base: "HOODIE",
    sizes: ["M", "L", "XL"],
    colours: ["GRY", "NVY"],
    price: { INR: 199_900, USD: 2_499 },
    step: { INR: 10_000, USD: 200 },
  },
  {
    base: "CAP",
    sizes: ["OS"],
    colours: ["RED", "BLK"],
    price: { INR: 59_900, USD: 799 },
    step: { INR: 0, USD: 0 },
  },
  {
    base: "SOCKS",
    sizes: ["M", "L"],
    colours: ["WHT", "BLK"],
    price: { INR: 29_900, USD: 399 },
    step: { INR: 0, USD: 0 },
  },
  {
    base: "BACKPACK",
    sizes: ["20L", "30L"],
    colours: ["BLK", "GRN"],
    price: { INR: 279_900, USD: 3_499 },
    step: { INR: 40_000, USD: 500 },
  },
];

/** Every SKU the demo sells, with its unit price in each currency. */
export const SKU_PRICES: ReadonlyMap<string, Readonly<Record<Currency, number>>> = new Map(
  PRODUCTS.flatMap((p) =>
    p.sizes.flatMap((size, i) =>
      p.colours.map((colour) => [
        `${p.base}-${size}-${colour}`,
        { INR: p.price.INR + i * p.step.INR, USD: p.price.USD + i * p.step.USD },
      ]),
    ),
  ),
);
export const SKUS = [...SKU_PRICES.keys()];

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
