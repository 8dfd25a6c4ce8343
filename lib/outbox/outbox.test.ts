import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { demoDropshipOrders } from "@/dev/fakes/demo-orders";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  insertReferenceData,
  insertSubOrder,
  readLines,
  SYSTEM_ACTOR,
  TEST_REASON,
} from "@/test/fixtures";
import { dispatchDueNotifications, retryNotificationNow } from "./dispatcher";

let database: TestDatabase;
let channel: FakeDropship;
const context = { actor: SYSTEM_ACTOR, source: "single", reasonCode: TEST_REASON } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  // The channel knows the orders it sent us: the fake learns them from the test database.
  channel = await startFakeDropship({ resolveUnknownOrder: demoDropshipOrders(() => database.db) });
  await connectFixtures(database.db, {
    channel: { connector: "dropship", url: channel.url, token: FAKE_DROPSHIP_TOKEN, maxAttempts: 3 },
  });
});
afterAll(async () => {
  await channel.close();
  await database.drop();
});

async function outbox(cancellationId: string) {
  const rows = await database.db.execute<{
    state: string;
    attempts: number;
    last_error: string | null;
    payload: unknown;
  }>(
    sql`SELECT state, attempts, last_error, payload FROM channel_notifications WHERE cancellation_id = ${cancellationId}`,
  );
  return rows.rows[0];
}

/** Runs dispatch rounds until nothing is due (tests use a zero backoff). */
async function drain() {
  while ((await dispatchDueNotifications(database.db, { backoffBaseMs: 0 })) > 0) {}
}

describe("the channel outbox", () => {
  test("a confirmed cancellation writes its notification in the same transaction, and it is delivered once", async () => {
    await insertSubOrder(database.db, "SO-OUT-1", [
      { sku: "A", ordered: 2 },
      { sku: "B", ordered: 3, fulfilled: 1 },
    ]);
    const result = await cancelSubOrder(database.db, {
      ...context,
      subOrderId: "SO-OUT-1",
      mode: "unfulfilled_only",
    });
    if (!result.ok) throw new Error(result.error.message);
    const id = result.value.cancellationId;
    expect(await outbox(id)).toMatchObject({
      state: "pending",
      payload: {
        idempotencyKey: id,
        channelOrderNo: "ORD-SO-OUT-1",
        subOrderId: "SO-OUT-1",
        unfulfilledOnly: true,
        wholeSubOrder: true,
        lines: [
          { sku: "A", cancelledQuantity: 2, remainingQuantity: 0 },
          { sku: "B", cancelledQuantity: 2, remainingQuantity: 0 },
        ],
      },
    });
    await drain();
    expect(await outbox(id)).toMatchObject({ state: "delivered", attempts: 1, last_error: null });
    const sent = channel.requests.filter((r) => r.headers["idempotency-key"]?.startsWith(id));
    expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", "/orders/ORD-SO-OUT-1/cancel", { unfulfilledOnly: true }],
    ]);
    await drain();
    expect(channel.requests.filter((r) => r.headers["idempotency-key"]?.startsWith(id))).toHaveLength(1);
  });

  test("a refused cancellation tells the channel nothing", async () => {
    await insertSubOrder(database.db, "SO-OUT-2", [{ sku: "A", ordered: 1, processing: 1 }]);
    const result = await cancelSubOrder(database.db, { ...context, subOrderId: "SO-OUT-2", mode: "strict" });
    expect(result.ok).toBe(false);
    const rows = await database.db.execute(
      sql`SELECT 1 FROM channel_notifications n JOIN cancellations c ON c.id = n.cancellation_id WHERE c.sub_order_id = 'SO-OUT-2'`,
    );
    expect(rows.rows).toHaveLength(0);
  });

  test("a channel that is down is retried, dead-lettered after its tries, and delivered after retry now", async () => {
    await insertSubOrder(database.db, "SO-OUT-3", [{ sku: "A", ordered: 4 }]);
    const result = await cancelLineItems(database.db, {
      ...context,
      subOrderId: "SO-OUT-3",
      lines: [{ sku: "A", quantity: 1 }],
    });
    if (!result.ok) throw new Error(result.error.message);
    const id = result.value.cancellationId;

    channel.setMode("down");
    await drain();
    expect(await outbox(id)).toMatchObject({ state: "dead", attempts: 3 });
    expect((await outbox(id))?.last_error).toMatch(/connection/i);

    channel.setMode("ok");
    expect(await retryNotificationNow(database.db, id)).toBe(true);
    await drain();
    expect(await outbox(id)).toMatchObject({ state: "delivered", attempts: 1 });
    const sent = channel.requests.filter(
      (r) => r.headers["idempotency-key"]?.startsWith(id) && r.body !== undefined,
    );
    expect(sent.at(-1)?.body).toEqual({ newQuantity: 3 });
  });

  test("a permanent refusal from the channel goes to the dead letters at once with the channel's words", async () => {
    await insertSubOrder(database.db, "SO-OUT-4", [{ sku: "A", ordered: 1 }]);
    channel.refuse("ORD-SO-OUT-4");
    const result = await cancelSubOrder(database.db, { ...context, subOrderId: "SO-OUT-4", mode: "strict" });
    if (!result.ok) throw new Error(result.error.message);
    await drain();
    expect(await outbox(result.value.cancellationId)).toMatchObject({
      state: "dead",
      attempts: 1,
      last_error: expect.stringContaining("has been fulfilled and cannot be cancelled"),
    });
  });

  test("a partial cancel's new item id is stored on the line, and the next notification addresses it", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-OUT-5", [{ sku: "A", ordered: 5 }]);
    const cancelOne = async () => {
      const result = await cancelLineItems(db, {
        ...context,
        subOrderId: "SO-OUT-5",
        lines: [{ sku: "A", quantity: 1 }],
      });
      if (!result.ok) throw new Error(result.error.message);
      await drain();
      expect(await outbox(result.value.cancellationId)).toMatchObject({ state: "delivered" });
      return result.value.cancellationId;
    };
    const first = await cancelOne();
    const [afterFirst] = await readLines(db, "SO-OUT-5");
    const replacement = afterFirst?.channelItemId;
    expect(replacement).toMatch(/^[0-9a-f]{24}$/);
    const history = await db.execute<{
      channel_item_id: string;
      replaced_by: string;
      cancellation_id: string;
    }>(
      sql`SELECT channel_item_id, replaced_by, cancellation_id FROM line_item_channel_ids WHERE line_item_id = ${afterFirst?.id}`,
    );
    expect(history.rows).toEqual([
      { channel_item_id: "SO-OUT-5:A", replaced_by: replacement, cancellation_id: first },
    ]);

    const second = await cancelOne();
    const sent = channel.requests.filter((r) => r.headers["idempotency-key"]?.startsWith(second));
    expect(sent.map((r) => [decodeURIComponent(r.path), r.body])).toEqual([
      [`/orders/ORD-SO-OUT-5/items/${replacement}/cancel`, { newQuantity: 3 }],
    ]);
  });

  test("a notification whose second item fails is retried without the first", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-OUT-6", [
      { sku: "A", ordered: 2 },
      { sku: "B", ordered: 2 },
    ]);
    const result = await cancelLineItems(db, {
      ...context,
      subOrderId: "SO-OUT-6",
      lines: [
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 1 },
      ],
    });
    if (!result.ok) throw new Error(result.error.message);
    channel.respondOnceWhen((r) => decodeURIComponent(r.path).includes("SO-OUT-6:B"), {
      status: 503,
      body: { message: "busy" },
    });
    await drain();
    expect(await outbox(result.value.cancellationId)).toMatchObject({ state: "delivered", attempts: 2 });
    const itemCalls = channel.requests
      .filter((r) => r.headers["idempotency-key"]?.startsWith(result.value.cancellationId))
      .map((r) => decodeURIComponent(r.path));
    expect(itemCalls).toEqual([
      "/orders/ORD-SO-OUT-6/items/SO-OUT-6:A/cancel",
      "/orders/ORD-SO-OUT-6/items/SO-OUT-6:B/cancel",
      "/orders/ORD-SO-OUT-6/items/SO-OUT-6:B/cancel",
    ]);
  });
});
