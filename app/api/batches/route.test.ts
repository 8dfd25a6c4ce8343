/**
 * POST /api/batches: the caller is checked before a byte of the body is read, and the body is
 * streamed with its own 50 MB limit (413, read no further).
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined, headers: new Headers() }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});
vi.mock("next/headers", () => ({ headers: async () => new Headers(state.headers) }));

import { DEMO_PASSWORD, seedDemoUsers } from "@/db/seed-users";
import { getAuth } from "@/lib/auth/auth";
import { MAX_FILE_BYTES } from "@/lib/csv/parse";
import { signInCookie, TEST_ORIGIN } from "@/test/auth";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, TEST_REASON } from "@/test/fixtures";
import { POST } from "./route";

let opsCookie: string;

beforeAll(async () => {
  state.database = await createTestDatabase();
  await seedDemoUsers(state.database.db);
  await insertReferenceData(state.database.db);
  await insertSubOrder(state.database.db, "SO-UPLOAD-1", [{ sku: "A", ordered: 1 }]);
  opsCookie = await signInCookie(getAuth(), "ops@demo.test", DEMO_PASSWORD);
});
afterAll(() => state.database?.drop());

/** A body of `bytes` bytes that counts how much of it was read. */
function countingBody(bytes: number) {
  const chunk = new TextEncoder().encode(`Sub Order ID\n${"SO-1\n".repeat(13_107)}`); // 64 KB
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
  return { stream, read: () => sent };
}

function upload(body: BodyInit | ReadableStream<Uint8Array>, cookie?: string) {
  state.headers = new Headers({ host: new URL(TEST_ORIGIN).host, origin: TEST_ORIGIN });
  if (cookie) state.headers.set("cookie", cookie);
  const query = new URLSearchParams({
    kind: "sub_orders",
    mode: "strict",
    reasonCode: TEST_REASON,
    fileName: "f.csv",
  });
  return POST(
    new NextRequest(`${TEST_ORIGIN}/api/batches?${query}`, {
      method: "POST",
      headers: new Headers([...state.headers, ["content-type", "text/csv"]]),
      body,
      duplex: "half",
    } as ConstructorParameters<typeof NextRequest>[1]),
  );
}

test("a signed-out caller is refused before the body is read", async () => {
  const body = countingBody(60 * 1024 * 1024);
  const response = await upload(body.stream);
  expect(response.status).toBe(401);
  expect(body.read()).toBeLessThanOrEqual(128 * 1024); // at most what a stream buffers ahead
});

test("a body over 50 MB is refused with 413 and a clear message, read no further than the limit", async () => {
  const body = countingBody(MAX_FILE_BYTES + 5 * 1024 * 1024);
  const response = await upload(body.stream, opsCookie);
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({
    code: "PAYLOAD_TOO_LARGE",
    detail: expect.stringMatching(/the limit is 50 MB/),
  });
  expect(body.read()).toBeLessThan(MAX_FILE_BYTES + 256 * 1024);
});

test("a good file is stored as a draft batch", async () => {
  const response = await upload("Sub Order ID\nSO-UPLOAD-1\n", opsCookie);
  expect(response.status).toBe(201);
  expect(await response.json()).toMatchObject({ ok: true, data: { items: 1, rows: 1, invalidItems: 0 } });
});

test("a request from another site's page is refused", async () => {
  state.headers = new Headers({
    host: new URL(TEST_ORIGIN).host,
    origin: "https://evil.example",
    cookie: opsCookie,
  });
  const query = new URLSearchParams({ kind: "sub_orders", mode: "strict", reasonCode: TEST_REASON });
  const response = await POST(
    new NextRequest(`${TEST_ORIGIN}/api/batches?${query}`, {
      method: "POST",
      headers: state.headers,
      body: "Sub Order ID\nSO-1\n",
    }),
  );
  expect(response.status).toBe(403);
});
