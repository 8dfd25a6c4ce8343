// The Orders screen's searches on a large order book (issue 13): every kind of search the screen
// offers, timed through listOrders as the page calls it, on PostgreSQL with 1,000,000 orders by
// default (BENCH_ORDERS). The orders are written set-based (INSERT … SELECT FROM generate_series)
// in the shapes the demo data has: its channels, warehouses, number formats and SKUs, with a
// larger catalog and many more customers, statuses by age (recent orders open or in processing,
// older ones mostly shipped), about 1.4 sub-orders an order and 1 to 3 lines a sub-order.
import { type SQL, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { listOrders } from "@/db/queries/orders";
import { createRandom, type Random } from "@/dev/random";
import {
  CHANNEL_ORDER_NUMBERS,
  CHANNEL_WEIGHTS,
  PRODUCTS,
  SEED_CHANNELS,
  SEED_WAREHOUSES,
} from "@/dev/seed/reference-data";
import { SUB_ORDER_STATUSES } from "@/lib/cancellation/status";
import {
  ORDER_SORTS,
  type OrderSearch,
  orderSearchSchema,
  SEARCH_MATCH_LIMIT,
} from "@/lib/orders/order-search";
import { type Figure, figure, percentile, timed } from "./harness";

const RUNS = 50;
const WARM_UP_RUNS = 5;
const TARGET_MS = 50;

/** 60 first names and 60 surnames: 3,600 names, each on about 280 of 1,000,000 orders. */
const FIRST_NAMES = (
  "Aarav Priya Rohan Ananya Vikram Meera Kabir Isha Arjun Diya Sanjay Neha Emma Lucas Sofia Noah " +
  "Olivia Mateo Yuki Amara Fatima Liam Chloé Hana Aditi Rahul Kavya Nikhil Pooja Siddharth Tanvi " +
  "Varun Zara Ben Clara David Elena Felix Grace Hugo Ines Jonas Kenji Leila Marco Nadia Oscar Paula " +
  "Quentin Rosa Samir Tara Umar Vera Wei Ximena Yusuf Zoe Aisha Bruno"
).split(" ");
const LAST_NAMES = (
  "Sharma Nair Mehta Iyer Rao Pillai Singh Gupta Reddy Menon Kulkarni Joshi Schmidt Martin Rossi " +
  "Williams Brown García Tanaka Okafor Khan O'Connor Dubois Kim Banerjee Chopra Das Fernandes Ghosh " +
  "Hegde Jain Kapoor Lal Mishra Naidu Patel Qureshi Sen Thomas Verma Weber Müller Novak Silva Costa " +
  "Haddad Ivanova Jensen Larsen Moreau Nakamura Ortiz Petrov Quinn Ribeiro Santos Tran Ueda Vargas Wong"
).split(" ");
/** Styles per product variant: the demo's 70 variants become a catalog of 4,200 SKUs. */
const STYLES = 60;
const VARIANTS = PRODUCTS.flatMap((p) =>
  p.sizes.flatMap((size) => p.colours.map((c) => `${p.base}-${size}-${c}`)),
);
/** Warehouses as a busy seller has them: two large, one 3PL, two small. */
const WAREHOUSES = [
  ...SEED_WAREHOUSES,
  { id: "WH-MUM-03", name: "Mumbai DC 3", connector: "manual", externalId: null },
  { id: "WH-KOL-04", name: "Kolkata DC 4 (returns)", connector: "manual", externalId: null },
] as const;
const WAREHOUSE_SHARES = [40, 30, 20, 8, 2];

/**
 * What happens to an order, by age: the orders are a year's, and the newest 0.3% (a day) are
 * mostly open or in processing, the next 0.7% (three days) are being shipped, and older ones are
 * mostly shipped (some with a line cancelled first), 6% cancelled and 1.5% stuck (open, in
 * processing, partly cancelled or partly shipped). Percent shares per age band, by the order's
 * age as a share of the whole book; the derived status each fate gives is in the comment.
 */
const FATES = [
  "open", //                 open
  "in_processing", //        in_processing
  "partially_cancelled", //  partially_cancelled
  "cancelled", //            cancelled
  "partially_shipped", //    partially_shipped
  "shipped", //              shipped
  "shipped_after_cancel", // shipped (a unit of each line cancelled, the rest shipped)
] as const;
/** A fate's number in bench_order_plan.fate, as SQL text. */
const fateNo = (fate: (typeof FATES)[number]) => sql.raw(String(FATES.indexOf(fate)));
const FATE_SHARES_BY_AGE: readonly { newerThan: number; shares: number[] }[] = [
  { newerThan: 0.003, shares: [60, 25, 5, 5, 5, 0, 0] },
  { newerThan: 0.01, shares: [15, 25, 5, 5, 20, 25, 5] },
  { newerThan: 1, shares: [0.4, 0.3, 0.3, 6, 0.5, 87.5, 5] },
];

const log = (message: string) => console.log(`[bench] ${message}`);
const textArray = (items: readonly string[]) => sql`(${sql.param([...items])}::text[])`;

/** `hash` (in [0, 10000)) mapped onto `shares` (percents) as SQL: the index of the share it falls in. */
function pickByShare(hash: string, shares: number[]): SQL {
  let bound = 0;
  const whens = shares.map((share, i) => {
    bound += share * 100;
    return `WHEN ${hash} < ${Math.round(bound)} THEN ${i}`;
  });
  return sql.raw(`(CASE ${whens.join(" ")} ELSE ${shares.length - 1} END)`);
}

async function step(db: DbOrTx, name: string, statement: SQL): Promise<void> {
  const { ms } = await timed(() => db.execute(statement));
  log(`orders: ${name} in ${(ms / 1000).toFixed(1)} s`);
}

async function insertChannelsAndWarehouses(db: Db): Promise<void> {
  for (const c of SEED_CHANNELS) {
    await db.execute(sql`
      INSERT INTO channels (id, name, connector, partial_quantities, fill_or_kill)
      VALUES (${c.id}, ${c.name}, ${c.connector}, ${c.partialQuantities}, ${c.fillOrKill})`);
  }
  for (const w of WAREHOUSES) {
    await db.execute(sql`
      INSERT INTO warehouses (id, name, connector, external_id)
      VALUES (${w.id}, ${w.name}, ${w.connector}, ${w.externalId})`);
  }
}

/** The statements that write `count` orders, each with what it writes. */
function orderStatements(count: number): [string, SQL][] {
  const channelIds = CHANNEL_WEIGHTS.map(([id]) => id);
  const perChannel = (pick: (id: string) => string) =>
    sql`(${sql.param(channelIds.map(pick))}::text[])[p.channel + 1]`;
  const starts = sql`(${sql.param(channelIds.map((id) => CHANNEL_ORDER_NUMBERS[id]?.start ?? 0))}::bigint[])`;
  const channelOf = (id: string) => SEED_CHANNELS.find((c) => c.id === id);
  const fate = sql.join(
    FATE_SHARES_BY_AGE.map(
      (band) =>
        sql`WHEN p.age < ${sql.raw(String(band.newerThan))} THEN ${pickByShare("p.fate_hash", band.shares)}`,
    ),
    sql` `,
  );
  const subOrderId = sql`'SO-' || lpad(p.g::text, 8, '0') || '-' || s`;
  return [
    // One row per order with everything drawn for it (by hashes of its number: the same every
    // run); the tables are filled from it.
    [
      "plan",
      sql`
      INSERT INTO bench_order_plan
      SELECT p.g, p.h, ${pickByShare(
        "p.channel_hash",
        CHANNEL_WEIGHTS.map(([, w]) => w),
      )}, CASE ${fate} END,
             1 + (p.h % 10 < 3)::int + (p.h % 10 = 0)::int,
             timestamptz '2026-11-01 00:00:00Z' - p.age * interval '365 days' + (p.h % 60) * interval '1 second'
        FROM (SELECT g, hashint4(g) & 2147483647 AS h,
                     (hashint4(g # 104729) & 2147483647) % 10000 AS channel_hash,
                     (hashint4(g # 7919) & 2147483647) % 10000 AS fate_hash,
                     (${count}::int - g)::float8 / ${count}::int AS age
                FROM generate_series(1, ${count}::int) g) p`,
    ],
    // Each channel's own ids as its API has them (dev/seed/channel-ids.ts): Mongo ObjectIds,
    // rising integers with gaps, or the order number itself.
    [
      "orders",
      sql`
      INSERT INTO orders (id, channel_id, channel_order_no, channel_order_id, currency, customer_name,
                          created_at, updated_at)
      SELECT 'ORD-' || p.g, ${perChannel((id) => id)}, n.no,
             CASE ${perChannel((id) => channelOf(id)?.connector ?? "manual")}
               WHEN 'dropship' THEN lpad(to_hex(extract(epoch FROM p.created_at)::bigint), 8, '0')
                                    || '64b1f0c2a9' || lpad(to_hex(p.g), 6, '0')
               WHEN 'commerce' THEN (5210000 + p.g * 3 + p.h % 3)::text
               ELSE n.no END,
             ${perChannel((id) => channelOf(id)?.currency ?? "INR")},
             ${textArray(FIRST_NAMES)}[1 + p.h % ${FIRST_NAMES.length}] || ' '
               || ${textArray(LAST_NAMES)}[1 + (p.h / 61) % ${LAST_NAMES.length}],
             p.created_at, p.created_at
        FROM bench_order_plan p
       CROSS JOIN LATERAL (
         SELECT ${perChannel((id) => CHANNEL_ORDER_NUMBERS[id]?.prefix ?? "")} || (${starts}[p.channel + 1] + p.g) AS no) n`,
    ],
    [
      "sub-orders",
      sql`
      INSERT INTO sub_orders (id, order_id, warehouse_id, created_at, updated_at)
      SELECT ${subOrderId}, 'ORD-' || p.g,
             ${textArray(WAREHOUSES.map((w) => w.id))}[
               1 + ${pickByShare("(hashint4(p.g * 3 + s) & 2147483647) % 10000", WAREHOUSE_SHARES)}],
             p.created_at, p.created_at
        FROM bench_order_plan p, generate_series(1, p.sub_orders) s`,
    ],
    // 1 to 3 lines a sub-order, quantities by the order's fate; partial fates need two units a line.
    [
      "line items",
      sql`
      INSERT INTO line_items (sub_order_id, sku, unit_price_minor, ordered, fulfilled, processing, cancelled,
                              created_at, updated_at)
      SELECT ${subOrderId}, sku.sku, 29900 + l.h % 400000, q.ordered,
             CASE p.fate WHEN ${fateNo("partially_shipped")} THEN 1 WHEN ${fateNo("shipped")} THEN q.ordered
                         WHEN ${fateNo("shipped_after_cancel")} THEN q.ordered - 1 ELSE 0 END,
             CASE p.fate WHEN ${fateNo("in_processing")} THEN q.ordered ELSE 0 END,
             CASE p.fate WHEN ${fateNo("partially_cancelled")} THEN 1 WHEN ${fateNo("cancelled")} THEN q.ordered
                         WHEN ${fateNo("shipped_after_cancel")} THEN 1 ELSE 0 END,
             p.created_at, p.created_at
        FROM bench_order_plan p
       CROSS JOIN generate_series(1, p.sub_orders) s
       CROSS JOIN LATERAL (SELECT hashint4(p.g * 3 + s + 17) & 2147483647 AS h) sh
       CROSS JOIN generate_series(1, 1 + (sh.h % 4 = 0)::int + (sh.h % 8 = 0)::int) k
       CROSS JOIN LATERAL (SELECT hashint4(p.g * 11 + s * 3 + k) & 2147483647 AS h) l
       CROSS JOIN LATERAL (
         SELECT CASE WHEN p.fate IN (${fateNo("partially_cancelled")}, ${fateNo("partially_shipped")},
                                     ${fateNo("shipped_after_cancel")}) THEN 2 ELSE 1 END + l.h % 3 AS ordered) q
       CROSS JOIN LATERAL (
         SELECT ${textArray(VARIANTS)}[1 + (sh.h / 7 + k * 13) % ${VARIANTS.length}] || '-'
                || lpad(((sh.h / 997 + k) % ${STYLES})::text, 4, '0') AS sku) sku`,
    ],
    // Units shipped after they were cancelled, on a few shipped orders; a quarter still open.
    [
      "exceptions",
      sql`
      INSERT INTO order_exceptions (order_id, sub_order_id, kind, detail, resolved_at, created_at, updated_at)
      SELECT 'ORD-' || p.g, 'SO-' || lpad(p.g::text, 8, '0') || '-1', 'shipped_after_cancellation',
             '{"lines": [], "shipment": null}'::jsonb,
             CASE WHEN p.h % 4 = 0 THEN NULL ELSE p.created_at + interval '3 days' END,
             p.created_at + interval '2 days', p.created_at + interval '2 days'
        FROM bench_order_plan p
       WHERE p.fate IN (${fateNo("shipped")}, ${fateNo("shipped_after_cancel")}) AND (p.h / 7) % 250 = 0`,
    ],
  ];
}

/**
 * The reference data and `count` orders with their sub-orders, lines and exceptions, loaded the
 * way bulk loads are: the tables' secondary indexes dropped and built again afterwards (from
 * their own definitions, so the schema ends up as the migrations made it), and, for a superuser,
 * the foreign-key triggers skipped (the rows are consistent by construction).
 */
export async function insertSearchOrders(db: Db, count: number): Promise<void> {
  await insertChannelsAndWarehouses(db);
  await db.execute(sql`
    CREATE UNLOGGED TABLE bench_order_plan (
      g int NOT NULL, h int NOT NULL, channel int NOT NULL, fate int NOT NULL, sub_orders int NOT NULL,
      created_at timestamptz NOT NULL)`);
  await db.transaction(async (tx) => {
    const [role] = (
      await tx.execute<{ superuser: boolean }>(
        sql`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
      )
    ).rows;
    if (role?.superuser) await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(sql`SET LOCAL maintenance_work_mem = '256MB'`);
    const indexes = (
      await tx.execute<{ name: string; definition: string }>(sql`
        SELECT indexname AS name, indexdef AS definition FROM pg_indexes
         WHERE schemaname = current_schema() AND tablename IN ('orders', 'sub_orders', 'line_items')
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`)
    ).rows;
    for (const index of indexes) await tx.execute(sql`DROP INDEX ${sql.identifier(index.name)}`);
    for (const [name, statement] of orderStatements(count)) await step(tx, name, statement);
    const built = await timed(async () => {
      for (const index of indexes) await tx.execute(sql.raw(index.definition));
    });
    log(`orders: ${indexes.length} indexes built in ${(built.ms / 1000).toFixed(1)} s`);
  });
  // As autovacuum would have by the time a table is this big: statistics and the visibility map.
  await step(db, "VACUUM ANALYZE", sql`VACUUM (ANALYZE) orders, sub_orders, line_items, order_exceptions`);
}

type Sample = {
  channelOrderNo: string;
  channelOrderId: string;
  customerName: string;
  subOrderId: string;
  sku: string;
};

async function sampleOrders(db: Db, rng: Random, count: number): Promise<Sample[]> {
  const ids = Array.from({ length: RUNS }, () => `ORD-${rng.int(1, count)}`);
  const result = await db.execute<Sample>(sql`
    SELECT o.channel_order_no AS "channelOrderNo", o.channel_order_id AS "channelOrderId",
           o.customer_name AS "customerName",
           (SELECT min(so.id) FROM sub_orders so WHERE so.order_id = o.id) AS "subOrderId",
           (SELECT min(li.sku) FROM sub_orders so JOIN line_items li ON li.sub_order_id = so.id
             WHERE so.order_id = o.id) AS sku
      FROM unnest(${sql.param(ids)}::text[]) AS s(id) JOIN orders o ON o.id = s.id`);
  return result.rows;
}

/** `text` without up to `most` characters at its end, at least `keep` kept. */
const cut = (rng: Random, text: string, most: number, keep = 3) =>
  text.slice(0, Math.max(keep, text.length - rng.int(0, most)));

/** Each kind of search, RUNS times, with prefixes taken from real orders so that they match. */
function searchKinds(rng: Random, samples: Sample[]): { kind: string; searches: OrderSearch[] }[] {
  const sort = () => rng.weighted(ORDER_SORTS.map((s) => [s, s === "newest" ? 2 : 1] as const));
  const each = (make: (s: Sample, i: number) => Record<string, unknown>) =>
    samples.map((s, i) => orderSearchSchema.parse({ sort: sort(), ...make(s, i) }));
  const cycle = <T>(items: readonly T[], i: number) => items[i % items.length] as T;
  return [
    // The number typed whole or with its last 1 to 3 digits still to come (up to ~1,000 matches).
    { kind: "order number prefix", searches: each((s) => ({ q: cut(rng, s.channelOrderNo, 3) })) },
    { kind: "channel order id prefix", searches: each((s) => ({ q: cut(rng, s.channelOrderId, 6, 5) })) },
    {
      kind: "sub-order id prefix",
      searches: each((s) => ({ q: rng.chance(0.5) ? s.subOrderId : cut(rng, s.subOrderId, 4, 8) })),
    },
    // A whole SKU (~450 lines), or its variant or product (the search reads its first 1,000).
    {
      kind: "SKU prefix",
      searches: each((s) => ({
        q: rng.chance(0.6) ? s.sku : s.sku.split("-").slice(0, rng.int(1, 3)).join("-"),
      })),
    },
    // A first name (~17,000 orders), a first name and the start of a surname, a whole name (~280).
    {
      kind: "customer name prefix",
      searches: each((s) => {
        const name = rng.chance(0.5) ? s.customerName.toLowerCase() : s.customerName;
        const space = name.indexOf(" ");
        return { q: rng.chance(0.3) ? name.slice(0, space) : cut(rng, name, name.length - space - 2) };
      }),
    },
    { kind: "channel filter", searches: each((_, i) => ({ channel: cycle(CHANNEL_WEIGHTS, i)[0] })) },
    { kind: "warehouse filter", searches: each((_, i) => ({ warehouse: cycle(WAREHOUSES, i).id })) },
    // Newest first, the rare statuses (open, in processing) are among the newest orders; oldest
    // first or by number they are the few stuck ones, far between.
    {
      kind: "status filter, newest first",
      searches: samples.map((_, i) => orderSearchSchema.parse({ status: cycle(SUB_ORDER_STATUSES, i) })),
    },
    {
      kind: "status filter, oldest first or by number",
      searches: samples.map((_, i) =>
        orderSearchSchema.parse({
          status: cycle(SUB_ORDER_STATUSES, i),
          sort: Math.floor(i / SUB_ORDER_STATUSES.length) % 2 === 0 ? "oldest" : "number",
        }),
      ),
    },
    { kind: "open exceptions filter", searches: each(() => ({ exceptions: "1" })) },
    { kind: "no filter, first page (newest)", searches: samples.map(() => orderSearchSchema.parse({})) },
    { kind: "no filter, deep page (100 to 2,000)", searches: each(() => ({ page: rng.int(100, 2_000) })) },
    {
      kind: "no filter, deepest pages (5,000 to 10,000, the URL's limit)",
      searches: each(() => ({ page: rng.int(5_000, 10_000) })),
    },
  ];
}

/** The Orders screen's searches: p50 and p95 of listOrders per kind, against p95 < 50 ms. */
export async function benchOrderSearch(db: Db, count: number): Promise<Figure[]> {
  log(`orders: writing ${count.toLocaleString("en")} orders`);
  const written = await timed(() => insertSearchOrders(db, count));
  const sizes = (
    await db.execute<{ sub_orders: number; lines: number }>(sql`
      SELECT (SELECT count(*)::int FROM sub_orders) AS sub_orders, (SELECT count(*)::int FROM line_items) AS lines`)
  ).rows[0];
  log(
    `orders: ${count.toLocaleString("en")} orders, ${sizes?.sub_orders.toLocaleString("en")} sub-orders, ` +
      `${sizes?.lines.toLocaleString("en")} lines written and analyzed in ${(written.ms / 1000).toFixed(0)} s`,
  );
  return measureOrderSearch(db, count);
}

/** Each kind's searches, from orders picked the same way every run. */
async function searchKindsFor(db: Db, count: number) {
  const rng = createRandom(13);
  return searchKinds(rng, await sampleOrders(db, rng, count));
}

/** Times each kind of search on the orders insertSearchOrders wrote. */
export async function measureOrderSearch(db: Db, count: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const { kind, searches } of await searchKindsFor(db, count)) {
    for (const search of searches.slice(0, WARM_UP_RUNS)) await listOrders(db, search);
    const ms: number[] = [];
    let rows = 0;
    let capped = 0;
    for (const search of searches) {
      const { result, ms: took } = await timed(() => listOrders(db, search));
      ms.push(took);
      rows += result.rows.length;
      if (result.capped) capped++;
    }
    const p50 = percentile(ms, 50);
    const p95 = percentile(ms, 95);
    log(
      `orders: ${kind}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
    );
    figures.push(
      figure({
        name: `Orders search, ${count.toLocaleString("en")} orders: ${kind}, p50 ${p50.toFixed(1)} ms / p95`,
        value: p95,
        unit: "ms",
        reference: { name: "target", value: TARGET_MS, unit: "ms" },
        target: `p95 < ${TARGET_MS} ms`,
        met: p95 < TARGET_MS,
        note:
          `${searches.length} searches, ${(rows / searches.length).toFixed(1)} rows a page on average` +
          (capped > 0
            ? `, ${capped} read a key's first ${SEARCH_MATCH_LIMIT.toLocaleString("en")} matches`
            : ""),
      }),
    );
  }
  return figures;
}
