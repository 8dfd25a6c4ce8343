/**
 * GET /api/v1/channels/{channelId}/cancel-requests through its real handler, API key and database:
 * a channel reads its requests and the decisions on them, page by page.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import { seedDemoUsers } from "@/db/seed-users";
import { createApiKey } from "@/lib/auth/api-keys";
import { approveCancelRequest, rejectCancelRequest } from "@/lib/orders/cancel-request-decisions";
import type { CancelRequestView } from "@/lib/orders/cancel-requests";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, TEST_REASON } from "@/test/fixtures";
import { GET, POST } from "./route";

let secret: string;
const agent = { type: "user", id: "demo-support" } as const;

beforeAll(async () => {
  state.database = await createTestDatabase();
  await seedDemoUsers(state.database.db);
  await insertReferenceData(state.database.db);
  ({ secret } = await createApiKey(
    { name: "Marketplace", scopes: ["read", "requests:write"], createdBy: "demo-admin" },
    state.database.db,
  ));
});
afterAll(() => state.database?.drop());

function db() {
  if (!state.database) throw new Error("no database");
  return state.database.db;
}

const params = (channelId: string) => ({ params: Promise.resolve({ channelId }) });

async function list(channelId: string, query = "") {
  const response = await GET(
    new Request(`http://localhost:3000/api/v1/channels/${channelId}/cancel-requests${query}`, {
      headers: { authorization: `Bearer ${secret}` },
    }),
    params(channelId),
  );
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
}

async function send(body: unknown): Promise<CancelRequestView> {
  const response = await POST(
    new Request("http://localhost:3000/api/v1/channels/CH-TEST/cancel-requests", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    params("CH-TEST"),
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: CancelRequestView }).data;
}

describe("GET cancel requests", () => {
  test("the channel reads its requests and the decisions, open first, then newest decision first", async () => {
    for (const n of [1, 2, 3]) await insertSubOrder(db(), `SO-GET-${n}`, [{ sku: "A", ordered: 2 }]);
    const [one, two, three] = [
      await send({ requestId: "get-1", channelOrderId: "ORD-SO-GET-1", reason: TEST_REASON }),
      await send({ requestId: "get-2", channelOrderId: "ORD-SO-GET-2", reason: TEST_REASON }),
      await send({ requestId: "get-3", channelOrderId: "ORD-SO-GET-3", reason: TEST_REASON }),
    ];
    expect(one).toMatchObject({ state: "open", decidedAt: null, decisionNote: null });
    expect((await approveCancelRequest(db(), { id: two?.id ?? "", actor: agent })).ok).toBe(true);
    const note = "Already shipped with DHL, tracking TRK-9";
    expect((await rejectCancelRequest(db(), { id: three?.id ?? "", note, actor: agent })).ok).toBe(true);
    await db().execute(
      sql`UPDATE cancel_requests SET decided_at = now() - interval '1 minute' WHERE id = ${two?.id}`,
    );

    const all = await list("CH-TEST");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      ok: true,
      nextCursor: null,
      data: [
        { requestId: "get-1", state: "open", channelOrderId: "ORD-SO-GET-1", orderNumber: "ORD-SO-GET-1" },
        { requestId: "get-3", state: "rejected", decisionNote: note, decidedAt: expect.stringMatching(/Z$/) },
        { requestId: "get-2", state: "approved", decisionNote: null, decidedAt: expect.stringMatching(/Z$/) },
      ],
    });
    // Our staff stay ours: no decider's name reaches the channel.
    expect(JSON.stringify(all.body)).not.toContain("demo.test");

    const rejected = await list("CH-TEST", "?state=rejected");
    expect(rejected.body.data.map((r: CancelRequestView) => r.requestId)).toEqual(["get-3"]);

    const first = await list("CH-TEST", "?limit=2");
    expect(first.body.data.map((r: CancelRequestView) => r.requestId)).toEqual(["get-1", "get-3"]);
    const rest = await list("CH-TEST", `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(rest.body).toMatchObject({ nextCursor: null, data: [{ requestId: "get-2" }] });
  });

  test("a bad query is a 400 naming the field; an unknown channel a 404: problem details", async () => {
    const state = await list("CH-TEST", "?state=pending");
    expect(state).toMatchObject({
      status: 400,
      type: "application/problem+json",
      body: {
        type: expect.stringMatching(/^urn:problem:/),
        title: expect.any(String),
        status: 400,
        code: "INVALID_INPUT",
        detail: expect.stringMatching(/^state: /),
        errors: [{ field: "state", message: expect.any(String) }],
      },
    });
    expect(state.body).not.toHaveProperty("ok");
    expect(await list("CH-TEST", "?cursor=nope")).toMatchObject({
      status: 400,
      body: {
        code: "INVALID_INPUT",
        detail: "cursor: is not the nextCursor of an earlier page",
        errors: [{ field: "cursor", message: "is not the nextCursor of an earlier page" }],
      },
    });
    expect(await list("CH-TEST", "?limit=0")).toMatchObject({
      status: 400,
      body: { detail: /^limit: /, errors: [{ field: "limit" }] },
    });
    expect(await list("CH-NOPE")).toMatchObject({
      status: 404,
      type: "application/problem+json",
      body: { status: 404, code: "CHANNEL_NOT_FOUND", detail: "Channel CH-NOPE does not exist" },
    });
  });
});
