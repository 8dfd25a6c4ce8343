import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { type FakeServer, type RecordedRequest, startFakeServer } from "@/dev/fakes/server";
import { approveCancelRequest, rejectCancelRequest } from "@/lib/orders/cancel-request-decisions";
import { type CancelRequestView, receiveCancelRequest } from "@/lib/orders/cancel-requests";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, TEST_REASON } from "@/test/fixtures";
import { deliverDueWebhooks, retryWebhookNow, splitWebhookUrl } from "./deliver";
import { decryptWebhookSecret, encryptWebhookSecret, generateWebhookSecret } from "./secret";
import { signWebhookBody, verifyWebhookSignature } from "./signature";

const SECRET = generateWebhookSecret();
const agent = { type: "user", id: "demo-support" } as const;
const channelKey = { type: "api_key", id: "channel-key" } as const;

let database: TestDatabase;
let db: Db;
/** The channel's receiver: takes a webhook only when its signature is right. */
let receiver: FakeServer;
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  receiver = await startFakeServer(
    {},
    {
      handle: (request: RecordedRequest) =>
        verifyWebhookSignature(SECRET, request.rawBody, request.headers["x-webhook-signature"])
          ? { status: 204 }
          : { status: 401, body: { message: "bad signature" } },
      serverError: () => ({ status: 500, body: { message: "receiver is down" } }),
    },
  );
  await db.execute(sql`
    UPDATE channels SET webhook_url = ${`${receiver.url}/hooks/cancel-requests?source=oms`},
                        webhook_secret_encrypted = ${encryptWebhookSecret(SECRET)},
                        timeout_ms = 300, max_attempts = 3
     WHERE id = 'CH-TEST'`);
});
beforeEach(() => receiver.resetBase());
afterAll(async () => {
  await receiver.close();
  await database.drop();
});

/** An order and a customer's request for it on CH-TEST; returns the request's id. */
async function openRequest(): Promise<string> {
  counter++;
  await insertSubOrder(db, `SO-HOOK-${counter}`, [{ sku: "A", ordered: 2 }]);
  const received = await receiveCancelRequest(db, {
    channelId: "CH-TEST",
    request: {
      requestId: `cr-hook-${counter}`,
      channelOrderId: `ORD-SO-HOOK-${counter}`,
      reason: TEST_REASON,
    },
    actor: channelKey,
  });
  if (!received.ok) throw new Error(received.error.message);
  return (received.value.body as { data: CancelRequestView }).data.id;
}

async function deliveryOf(requestId: string) {
  const rows = await db.execute<{
    id: string;
    state: string;
    attempts: number;
    last_error: string | null;
    delivered: boolean;
    due: boolean;
  }>(sql`
    SELECT id, state, attempts, last_error, delivered_at IS NOT NULL AS delivered, next_attempt_at <= now() AS due
      FROM webhook_deliveries WHERE cancel_request_id = ${requestId}`);
  const [row] = rows.rows;
  if (!row || rows.rows.length !== 1) throw new Error(`expected one delivery for ${requestId}`);
  return row;
}

const makeDue = () => db.execute(sql`UPDATE webhook_deliveries SET next_attempt_at = now()`);

describe("webhook delivery", () => {
  test("a decision is POSTed to the channel's URL, signed with HMAC-SHA256 of the exact body bytes", async () => {
    const id = await openRequest();
    // Not ASCII: the signature is over the UTF-8 bytes as sent.
    const note = "Déjà expédié — DHL, suivi TRK-1 ✓";
    expect((await rejectCancelRequest(db, { id, note, actor: agent })).ok).toBe(true);
    const delivery = await deliveryOf(id);

    expect(await deliverDueWebhooks(db)).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const [sent] = receiver.requests;
    if (!sent) throw new Error("nothing sent");
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/hooks/cancel-requests?source=oms");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["x-webhook-id"]).toBe(delivery.id);
    expect(sent.headers["x-webhook-event"]).toBe("cancel_request.rejected");
    const expected = `sha256=${createHmac("sha256", SECRET).update(Buffer.from(sent.rawBody, "utf8")).digest("hex")}`;
    expect(sent.headers["x-webhook-signature"]).toBe(expected);
    expect(verifyWebhookSignature(SECRET, sent.rawBody, sent.headers["x-webhook-signature"])).toBe(true);
    expect(verifyWebhookSignature("another secret", sent.rawBody, sent.headers["x-webhook-signature"])).toBe(
      false,
    );
    expect(verifyWebhookSignature(SECRET, `${sent.rawBody} `, sent.headers["x-webhook-signature"])).toBe(
      false,
    );
    expect(sent.body).toEqual({
      id: delivery.id,
      event: "cancel_request.rejected",
      createdAt: expect.stringMatching(/Z$/),
      data: {
        requestId: `cr-hook-${counter}`,
        channelOrderId: `ORD-SO-HOOK-${counter}`,
        state: "rejected",
        decidedAt: expect.stringMatching(/Z$/),
        note,
        lines: [],
      },
    });
    expect(await deliveryOf(id)).toMatchObject({
      state: "delivered",
      attempts: 1,
      delivered: true,
      last_error: null,
    });
    // Delivered once: nothing is due any more.
    expect(await deliverDueWebhooks(db)).toBe(0);
  });

  test("an approval tells what it cancelled", async () => {
    const id = await openRequest();
    expect((await approveCancelRequest(db, { id, actor: agent })).ok).toBe(true);
    expect(await deliverDueWebhooks(db)).toBe(1);
    expect(receiver.requests[0]?.body).toMatchObject({
      event: "cancel_request.approved",
      data: {
        state: "approved",
        note: null,
        lines: [{ channelItemId: `SO-HOOK-${counter}:A`, sku: "A", quantity: 2 }],
      },
    });
    expect((await deliveryOf(id)).state).toBe("delivered");
  });

  test("a 500 is retried later with the same id, body and signature until the channel takes it", async () => {
    const id = await openRequest();
    await rejectCancelRequest(db, { id, note: "Already shipped", actor: agent });
    receiver.respondOnce({ status: 500, body: { message: "try again later" } });
    expect(await deliverDueWebhooks(db, { backoffBaseMs: 60_000 })).toBe(1);
    expect(await deliveryOf(id)).toMatchObject({
      state: "retrying",
      attempts: 1,
      due: false,
      delivered: false,
      last_error: 'HTTP 500: {"message":"try again later"}',
    });
    // Not due yet: nothing is sent.
    expect(await deliverDueWebhooks(db)).toBe(0);

    await makeDue();
    expect(await deliverDueWebhooks(db)).toBe(1);
    expect(await deliveryOf(id)).toMatchObject({ state: "delivered", attempts: 2, last_error: null });
    const [first, second] = receiver.requests;
    expect(second?.rawBody).toBe(first?.rawBody);
    expect(second?.headers["x-webhook-id"]).toBe(first?.headers["x-webhook-id"]);
    expect(second?.headers["x-webhook-signature"]).toBe(first?.headers["x-webhook-signature"]);
  });

  test("no answer in time is retried too; after the channel's max attempts the delivery is dead, until retried by hand", async () => {
    const id = await openRequest();
    await rejectCancelRequest(db, { id, note: "Already shipped", actor: agent });
    receiver.setMode("hang");
    expect(await deliverDueWebhooks(db)).toBe(1);
    expect(await deliveryOf(id)).toMatchObject({
      state: "retrying",
      attempts: 1,
      last_error: "no answer: timed out after 300 ms",
    });

    receiver.setMode("error500");
    for (const attempt of [2, 3]) {
      await makeDue();
      expect(await deliverDueWebhooks(db)).toBe(1);
      expect((await deliveryOf(id)).attempts).toBe(attempt);
    }
    expect(await deliveryOf(id)).toMatchObject({
      state: "dead",
      attempts: 3,
      last_error: 'HTTP 500: {"message":"receiver is down"}',
    });
    await makeDue();
    expect(await deliverDueWebhooks(db)).toBe(0);

    receiver.setMode("ok");
    const { id: deliveryId } = await deliveryOf(id);
    expect(await retryWebhookNow(db, deliveryId)).toBe(true);
    expect(await deliverDueWebhooks(db)).toBe(1);
    expect(await deliveryOf(id)).toMatchObject({ state: "delivered" });
    expect(await retryWebhookNow(db, deliveryId)).toBe(false);
    expect(await retryWebhookNow(db, "not-a-uuid")).toBe(false);
  });

  test("a wrong secret at the receiver (401) is a failed attempt, never delivered", async () => {
    const id = await openRequest();
    await rejectCancelRequest(db, { id, note: "Already shipped", actor: agent });
    await db.execute(sql`
      UPDATE channels SET webhook_secret_encrypted = ${encryptWebhookSecret("rotated-secret")} WHERE id = 'CH-TEST'`);
    try {
      expect(await deliverDueWebhooks(db)).toBe(1);
      expect(await deliveryOf(id)).toMatchObject({
        state: "retrying",
        last_error: 'HTTP 401: {"message":"bad signature"}',
      });
    } finally {
      await db.execute(sql`
        UPDATE channels SET webhook_secret_encrypted = ${encryptWebhookSecret(SECRET)} WHERE id = 'CH-TEST'`);
    }
  });

  test("a channel without a webhook URL gets no delivery", async () => {
    await db.execute(sql`INSERT INTO channels (id, name) VALUES ('CH-POLL', 'Polling channel')`);
    await insertSubOrder(db, "SO-POLL-1", [{ sku: "A", ordered: 1 }]);
    await db.execute(sql`UPDATE orders SET channel_id = 'CH-POLL' WHERE id = 'ORD-SO-POLL-1'`);
    const received = await receiveCancelRequest(db, {
      channelId: "CH-POLL",
      request: { requestId: "cr-poll-1", channelOrderId: "ORD-SO-POLL-1", reason: TEST_REASON },
      actor: channelKey,
    });
    if (!received.ok) throw new Error(received.error.message);
    const id = (received.value.body as { data: CancelRequestView }).data.id;
    expect((await rejectCancelRequest(db, { id, note: "No", actor: agent })).ok).toBe(true);
    const rows = await db.execute(sql`SELECT 1 FROM webhook_deliveries WHERE cancel_request_id = ${id}`);
    expect(rows.rows).toEqual([]);
  });
});

describe("signatures, secrets and URLs", () => {
  test("the signature is sha256= and the hex HMAC of the bytes", () => {
    expect(signWebhookBody("key", "The quick brown fox jumps over the lazy dog")).toBe(
      "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
    expect(verifyWebhookSignature("key", "body", undefined)).toBe(false);
    expect(verifyWebhookSignature("key", "body", "sha256=00")).toBe(false);
  });

  test("a secret is stored encrypted and read back", () => {
    const stored = encryptWebhookSecret(SECRET);
    expect(stored).not.toContain(SECRET);
    expect(decryptWebhookSecret(stored)).toBe(SECRET);
    expect(() => decryptWebhookSecret(`${stored.slice(0, -2)}xx`)).toThrow();
  });

  test.each([
    ["https://example.com/hooks/oms", { baseUrl: "https://example.com/hooks/", path: "oms" }],
    ["https://example.com/hooks/", { baseUrl: "https://example.com/hooks/", path: "" }],
    ["https://example.com", { baseUrl: "https://example.com/", path: "" }],
    ["https://example.com/a/b?x=1&y=2", { baseUrl: "https://example.com/a/", path: "b?x=1&y=2" }],
    ["ftp://example.com/x", { problem: 'the webhook URL has an unsupported scheme "ftp:"' }],
    ["not a url", { problem: "the webhook URL is not a valid URL" }],
  ])("%s is sent to exactly that URL", (url, expected) => {
    expect(splitWebhookUrl(url)).toEqual(expected);
  });
});
