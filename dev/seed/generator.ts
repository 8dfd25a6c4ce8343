/** The generated demo data set: pure, no database; the same rows on every call. */

import type { CANCELLATION_MODES, CANCELLATION_SOURCES, orders, subOrders } from "@/db/schema";
import { holdsInvariant, type LineQuantities } from "@/lib/cancellation/quantities";
import { deriveSubOrderStatus, type SubOrderStatus } from "@/lib/cancellation/status";
import { createRandom, type Random } from "../random";
import { type ChannelIdMaker, channelIdMaker } from "./channel-ids";
import { FIXTURES, type FixtureSubOrder } from "./fixtures";
import {
  BASE_DATE,
  CHANNEL_ID_SEED,
  CHANNEL_ORDER_NUMBERS,
  CHANNEL_WEIGHTS,
  CUSTOMERS,
  FILL_OR_KILL_REASON,
  HOUR,
  MINUTE,
  ORDER_COUNT,
  ORDERS_FROM,
  SEED,
  SEED_CHANNELS,
  type SeedChannel,
  SKU_PRICES,
  SKUS,
  WAREHOUSE_WEIGHTS,
} from "./reference-data";

export type SeedOrder = typeof orders.$inferInsert & { createdAt: Date };
export type SeedSubOrder = typeof subOrders.$inferInsert & { status: SubOrderStatus };
export type SeedLine = LineQuantities & {
  subOrderId: string;
  sku: string;
  /** The channel's own id of the order item (see ./channel-ids.ts). */
  channelItemId: string;
  /** In the order's currency. */
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
export type DraftLine = {
  sku: string;
  ordered: number;
  fulfilled: number;
  processing: number;
  /** Cancelled by a person or a marketplace decision (one ledger entry per sub-order). */
  manualCancelled: number;
  /** Cancelled automatically by the channel's fill-or-kill policy (its own ledger entry). */
  autoCancelled: number;
};

/** What shapes a channel's lines: whole lines only or not, fill-or-kill or not. */
export type ChannelPolicy = Pick<SeedChannel, "partialQuantities" | "fillOrKill">;

export const quantitiesOf = (l: DraftLine): LineQuantities => ({
  ordered: l.ordered,
  fulfilled: l.fulfilled,
  processing: l.processing,
  cancelled: l.manualCancelled + l.autoCancelled,
  pendingCancel: 0,
});

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

/**
 * Moves line quantities towards `target`; the caller checks the derived status and retries. On a
 * whole-lines channel people cancel only whole, untouched lines; the rest of a partly shipped line
 * is left to fill-or-kill where the channel has it.
 */
function shapeLines(target: SubOrderStatus, lines: DraftLine[], policy: ChannelPolicy, rng: Random): void {
  const partial = policy.partialQuantities;
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
        else if (roll < 0.7 && o >= 2 && partial) line.manualCancelled = some();
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
          if (partial) line.manualCancelled = o - line.fulfilled;
        } else if (roll < 0.17) line.manualCancelled = o;
        else line.fulfilled = o;
        break;
    }
  }
}

/**
 * Fill-or-kill (seeds/002, DESIGN.md rule 6): once part of a line has shipped, the rest of it is
 * cancelled, units in processing included.
 */
function applyFillOrKill(lines: DraftLine[]): void {
  for (const line of lines) {
    if (line.fulfilled === 0) continue;
    line.autoCancelled += line.ordered - line.fulfilled - line.manualCancelled - line.autoCancelled;
    line.processing = 0;
  }
}

/**
 * The channel's policies hold for these lines: on a whole-lines channel a line cancelled by hand
 * was cancelled whole and untouched; with fill-or-kill a line that shipped has nothing left open
 * or in processing. Returns what breaks them, or null.
 */
export function policyBreach(lines: DraftLine[], policy: ChannelPolicy): string | null {
  for (const l of lines) {
    if (!policy.partialQuantities && l.manualCancelled > 0 && l.manualCancelled !== l.ordered) {
      return `${l.sku}: ${l.manualCancelled} of ${l.ordered} cancelled on a whole-lines channel`;
    }
    if (
      policy.fillOrKill &&
      l.fulfilled > 0 &&
      l.fulfilled + l.manualCancelled + l.autoCancelled !== l.ordered
    ) {
      return `${l.sku}: partly shipped with units left on a fill-or-kill channel`;
    }
  }
  return null;
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

function generateLines(target: SubOrderStatus, policy: ChannelPolicy, rng: Random): DraftLine[] {
  for (let attempt = 0; attempt < 500; attempt++) {
    const lines = draftLines(rng);
    shapeLines(target, lines, policy, rng);
    if (policy.fillOrKill) applyFillOrKill(lines);
    if (deriveSubOrderStatus(lines.map(quantitiesOf)) === target && !policyBreach(lines, policy))
      return lines;
  }
  throw new Error(`seed: could not shape a ${target} sub-order`);
}

function fixtureLines(fixture: FixtureSubOrder, policy: ChannelPolicy): DraftLine[] {
  const lines = fixture.lines.map((l) => ({
    sku: l.sku,
    ordered: l.ordered,
    fulfilled: l.fulfilled ?? 0,
    processing: l.processing ?? 0,
    manualCancelled: l.cancelled ?? 0,
    autoCancelled: 0,
  }));
  if (policy.fillOrKill) applyFillOrKill(lines);
  return lines;
}

const pad = (n: number, digits: number) => String(n).padStart(digits, "0");
const clampToBase = (ms: number) => Math.min(ms, BASE_DATE.getTime() - MINUTE);

/** The whole demo data set, computed in memory. Same output on every call. */
export function generateSeedData(): SeedData {
  const rng = createRandom(SEED);
  const data: SeedData = { orders: [], subOrders: [], lineItems: [], cancellations: [] };
  const channelById = new Map(SEED_CHANNELS.map((c) => [c.id, c]));
  const idRng = createRandom(CHANNEL_ID_SEED);
  const idMakers = new Map<string, ChannelIdMaker>(
    SEED_CHANNELS.map((c) => [c.id, channelIdMaker(c.connector, idRng)]),
  );
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
    const ids = idMakers.get(channelId);
    if (!channel || !format || channelNo === undefined || !ids)
      throw new Error(`seed: unknown channel ${channelId}`);
    nextChannelNo.set(channelId, channelNo + rng.int(1, 7));
    const channelOrderNo = `${format.prefix}${pad(channelNo, format.digits)}`;
    const channelOrderId = ids.order({ channelOrderNo, createdAt });
    data.orders.push({
      id: orderId,
      channelId,
      channelOrderNo,
      channelOrderId,
      currency: channel.currency,
      customerName: fixture?.customerName ?? rng.pick(CUSTOMERS),
      createdAt,
      updatedAt: createdAt,
    });

    const plans: { warehouseId: string; lines: DraftLine[]; reasonCode?: string }[] = [];
    if (fixture) {
      for (const sub of fixture.subOrders) {
        const lines = fixtureLines(sub, channel);
        const status = deriveSubOrderStatus(lines.map(quantitiesOf));
        if (status !== sub.status)
          throw new Error(`seed fixture for ${orderId}: ${status}, not ${sub.status}`);
        const breach = policyBreach(lines, channel);
        if (breach) throw new Error(`seed fixture for ${orderId}: ${breach} (${channelId})`);
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
        plans.push({ warehouseId, lines: generateLines(target, channel, rng) });
      }
    }

    // Line numbers run across the whole order: the channel knows one order, not our sub-orders.
    let lineNo = 0;
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
        const prices = SKU_PRICES.get(line.sku);
        if (prices === undefined) throw new Error(`seed: SKU ${line.sku} is not in the catalogue`);
        lineNo += 1;
        data.lineItems.push({
          subOrderId,
          sku: line.sku,
          channelItemId: ids.item({ channelOrderId, createdAt }, lineNo),
          unitPriceMinor: prices[channel.currency],
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
      reasonCode: FILL_OR_KILL_REASON,
      createdAt,
      resolvedAt: new Date(createdAt.getTime() + 1000),
      lines: automatic.map((l) => ({ sku: l.sku, quantity: l.autoCancelled })),
    });
    for (const l of automatic) changedAt.set(l.sku, createdAt);
  }
  return changedAt;
}
