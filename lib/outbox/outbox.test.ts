import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  insertReferenceData,
  insertSubOrder,
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
  channel = await startFakeDropship();
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
});
