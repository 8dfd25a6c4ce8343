/**
 * The channels' own ids of orders and order items, in the shape each channel's API uses:
 *
 * - dropship (seeds/003): Mongo ObjectIds, 24 hex digits (`order._id`, `item._id`): the creation
 *   second, five bytes fixed per process, a three-byte counter;
 * - commerce (seeds/004): integers (`order`, order item ids), rising with gaps where other
 *   sellers' orders fall in between;
 * - manual (the web store, the seller portal): the order number itself, and `<number>-<line>`
 *   for its lines.
 *
 * Deterministic: every id comes from the seeded random stream and the order's own timestamp.
 */
import type { CHANNEL_CONNECTORS } from "@/db/schema";
import type { Random } from "../random";

export type ChannelIdMaker = {
  /** The channel's id of a new order. */
  order(order: { channelOrderNo: string; createdAt: Date }): string;
  /** The channel's id of the order's line `lineNo` (1-based, counted across the whole order). */
  item(order: { channelOrderId: string; createdAt: Date }, lineNo: number): string;
};

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, "0");

/** Mongo ObjectIds: 4 bytes of seconds, 5 bytes fixed for the process, a 3-byte counter. */
function objectIds(rng: Random): ChannelIdMaker {
  const processPart = Array.from({ length: 5 }, () => hex(rng.int(0, 255), 2)).join("");
  let counter = rng.int(0x10_0000, 0x7f_ffff);
  const next = (createdAt: Date) => {
    counter = (counter + 1) % 0x100_0000;
    return `${hex(Math.floor(createdAt.getTime() / 1000), 8)}${processPart}${hex(counter, 6)}`;
  };
  return { order: (o) => next(o.createdAt), item: (o) => next(o.createdAt) };
}

/** Integer ids: orders and order items each count up, skipping what other sellers' orders took. */
function integerIds(rng: Random): ChannelIdMaker {
  let nextOrder = 5_210_000 + rng.int(0, 9_999);
  let nextItem = 18_400_000 + rng.int(0, 99_999);
  return {
    order: () => {
      nextOrder += rng.int(1, 40);
      nextItem += rng.int(1, 25);
      return String(nextOrder);
    },
    item: () => String(nextItem++),
  };
}

const readableIds: ChannelIdMaker = {
  order: (o) => o.channelOrderNo,
  item: (o, lineNo) => `${o.channelOrderId}-${lineNo}`,
};

export function channelIdMaker(connector: (typeof CHANNEL_CONNECTORS)[number], rng: Random): ChannelIdMaker {
  switch (connector) {
    case "dropship":
      return objectIds(rng);
    case "commerce":
      return integerIds(rng);
    case "manual":
      return readableIds;
  }
}
