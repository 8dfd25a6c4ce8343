import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cancellations, lineItems } from "@/db/schema";
import type { WarehouseGate } from "@/lib/connectors/types";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  confirmedLedgerTotals,
  insertReferenceData,
  insertSubOrder,
  readLines,
  SYSTEM_ACTOR,
  TEST_REASON,
} from "@/test/fixtures";
import { cancelLineItems } from "./cancel-line-items";
import { cancelSubOrder } from "./cancel-sub-order";

let database: TestDatabase;
const context = { actor: SYSTEM_ACTOR, source: "single", reasonCode: TEST_REASON } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});
afterAll(() => database.drop());

async function expectLedgerMatchesLines() {
  const db = database.db;
  const ledger = await confirmedLedgerTotals(db);
  const lines = await db.select().from(lineItems);
  for (const line of lines) expect(ledger.get(line.id) ?? 0, `line ${line.sku}`).toBe(line.cancelled);
}

describe("cancel sub-order", () => {
  test("strict cancel of an open sub-order cancels every remaining unit and records the ledger", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-OPEN", [
      { sku: "A", ordered: 3 },
      { sku: "B", ordered: 2 },
    ]);
    const first = await cancelLineItems(db, {
      ...context,
      subOrderId: "SO-OPEN",
      lines: [{ sku: "B", quantity: 1 }],
    });
    expect(first.ok).toBe(true);
    const result = await cancelSubOrder(db, { ...context, subOrderId: "SO-OPEN", mode: "strict" });
    expect(result).toMatchObject({
      ok: true,
      value: {
        units: 4,
        lines: [
          { sku: "A", quantity: 3 },
          { sku: "B", quantity: 1 },
        ],
      },
    });
    const lines = await readLines(db, "SO-OPEN");
    expect(lines.map((l) => [l.cancelled, l.pendingCancel])).toEqual([
      [3, 0],
      [2, 0],
    ]);
    const again = await cancelSubOrder(db, { ...context, subOrderId: "SO-OPEN", mode: "strict" });
    expect(again).toMatchObject({ ok: false, error: { code: "ALREADY_CANCELLED" } });
    await expectLedgerMatchesLines();
  });

  test("a blocked cancel names the SKU and changes nothing", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-PICKED", [
      { sku: "TSHIRT-M-RED", ordered: 3, processing: 2 },
      { sku: "MUG", ordered: 1 },
    ]);
    const result = await cancelSubOrder(db, { ...context, subOrderId: "SO-PICKED", mode: "strict" });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "IN_PROCESSING",
        message: "SKU TSHIRT-M-RED: 2 units in processing (picklist released)",
      },
    });
    expect((await readLines(db, "SO-PICKED")).map((l) => l.cancelled)).toEqual([0, 0]);
    const entries = await db.select().from(cancellations).where(sql`sub_order_id = 'SO-PICKED'`);
    expect(entries).toHaveLength(0);

    const partial = await cancelSubOrder(db, {
      ...context,
      subOrderId: "SO-PICKED",
      mode: "unfulfilled_only",
    });
    expect(partial).toMatchObject({ ok: true, value: { units: 2 } });
    expect((await readLines(db, "SO-PICKED")).map((l) => [l.processing, l.cancelled])).toEqual([
      [2, 1],
      [0, 1],
    ]);
  });

  test("unknown sub-order and unknown or inactive reason are refused", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-REASON", [{ sku: "A", ordered: 1 }]);
    expect(await cancelSubOrder(db, { ...context, subOrderId: "SO-NOPE", mode: "strict" })).toMatchObject({
      ok: false,
      error: { code: "SUB_ORDER_NOT_FOUND", message: "Sub-order SO-NOPE does not exist" },
    });
    for (const reasonCode of ["NOPE", "RETIRED"]) {
      expect(
        await cancelSubOrder(db, { ...context, reasonCode, subOrderId: "SO-REASON", mode: "strict" }),
      ).toMatchObject({
        ok: false,
        error: { code: "REASON_NOT_FOUND" },
      });
    }
  });
});

describe("cancel line items", () => {
  test("cancels part of a line and refuses more than is cancellable with the breakdown", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-LINES", [
      { sku: "A", ordered: 5, fulfilled: 3 },
      { sku: "B", ordered: 4 },
    ]);
    const tooMuch = await cancelLineItems(db, {
      ...context,
      subOrderId: "SO-LINES",
      lines: [
        { sku: "B", quantity: 1 },
        { sku: "A", quantity: 5 },
      ],
    });
    expect(tooMuch).toMatchObject({
      ok: false,
      error: {
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: "SKU A: requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
      },
    });
    expect((await readLines(db, "SO-LINES")).map((l) => l.cancelled)).toEqual([0, 0]);

    const fine = await cancelLineItems(db, {
      ...context,
      subOrderId: "SO-LINES",
      lines: [
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 1 },
      ],
    });
    expect(fine).toMatchObject({ ok: true, value: { units: 3 } });
    expect((await readLines(db, "SO-LINES")).map((l) => l.cancelled)).toEqual([2, 1]);
    await expectLedgerMatchesLines();
  });
});

describe("warehouse gate", () => {
  test("a refusal releases the reservation and records REJECTED with the remote's message", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-GATE-NO", [{ sku: "A", ordered: 2 }], "WH-WMS");
    const refuse: WarehouseGate = async () => ({
      kind: "rejected",
      code: "810",
      message: "Stock already allocated",
    });
    const result = await cancelSubOrder(
      db,
      { ...context, subOrderId: "SO-GATE-NO", mode: "strict" },
      { gate: refuse },
    );
    expect(result).toEqual({
      ok: false,
      error: { code: "DOWNSTREAM_REJECTED", message: "Stock already allocated" },
    });
    expect((await readLines(db, "SO-GATE-NO")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([[0, 0]]);
    const [entry] = await db.select().from(cancellations).where(sql`sub_order_id = 'SO-GATE-NO'`);
    expect(entry).toMatchObject({ status: "REJECTED", errorCode: "DOWNSTREAM_REJECTED" });
  });

  test("while the warehouse is asked, the units are reserved; on acceptance they are cancelled", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-GATE-OK", [{ sku: "A", ordered: 2 }], "WH-WMS");
    let seenWhileAsking: number[] = [];
    const accept: WarehouseGate = async (request) => {
      seenWhileAsking = (await readLines(db, request.subOrderId)).map((l) => l.pendingCancel);
      return { kind: "accepted" };
    };
    const result = await cancelSubOrder(
      db,
      { ...context, subOrderId: "SO-GATE-OK", mode: "strict" },
      { gate: accept },
    );
    expect(result.ok).toBe(true);
    expect(seenWhileAsking).toEqual([2]);
    expect((await readLines(db, "SO-GATE-OK")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([[2, 0]]);
    await expectLedgerMatchesLines();
  });
});

describe("the database guards the invariant and the ledger", () => {
  test("the CHECK constraint refuses a line that would cancel more than was ordered", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-CHECK", [{ sku: "A", ordered: 2, fulfilled: 1 }]);
    await expect(
      db.execute(sql`UPDATE line_items SET cancelled = 2 WHERE sub_order_id = 'SO-CHECK'`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`UPDATE line_items SET processing = -1 WHERE sub_order_id = 'SO-CHECK'`),
    ).rejects.toThrow();
  });

  test("ledger entries cannot be deleted, rewritten, or resolved twice", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-LEDGER", [{ sku: "A", ordered: 1 }]);
    const result = await cancelSubOrder(db, { ...context, subOrderId: "SO-LEDGER", mode: "strict" });
    if (!result.ok) throw new Error(result.error.message);
    const id = result.value.cancellationId;
    await expect(db.execute(sql`DELETE FROM cancellations WHERE id = ${id}`)).rejects.toThrow();
    await expect(
      db.execute(sql`UPDATE cancellations SET status = 'REJECTED' WHERE id = ${id}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`UPDATE cancellations SET actor_id = 'someone' WHERE id = ${id}`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`UPDATE cancellation_lines SET quantity = 5 WHERE cancellation_id = ${id}`),
    ).rejects.toThrow();
  });
});

describe("concurrency", () => {
  test("20 concurrent cancels of the same line never cancel more than was cancellable", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-RACE", [{ sku: "A", ordered: 10, fulfilled: 2, processing: 1 }]);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        cancelLineItems(db, { ...context, subOrderId: "SO-RACE", lines: [{ sku: "A", quantity: 1 }] }),
      ),
    );
    const succeeded = attempts.filter((a) => a.ok).length;
    expect(succeeded).toBe(7);
    for (const a of attempts) if (!a.ok) expect(a.error.code).toBe("QUANTITY_EXCEEDS_CANCELLABLE");
    expect((await readLines(db, "SO-RACE")).map((l) => l.cancelled)).toEqual([7]);
    await expectLedgerMatchesLines();
  });

  test("20 concurrent whole sub-order cancels through a slow warehouse: exactly one wins", async () => {
    const db = database.db;
    await insertSubOrder(
      db,
      "SO-RACE-GATE",
      [
        { sku: "A", ordered: 4 },
        { sku: "B", ordered: 1 },
      ],
      "WH-WMS",
    );
    const slowAccept: WarehouseGate = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { kind: "accepted" };
    };
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        cancelSubOrder(
          db,
          { ...context, subOrderId: "SO-RACE-GATE", mode: i % 2 ? "strict" : "unfulfilled_only" },
          { gate: slowAccept },
        ),
      ),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    const codes = new Set(attempts.flatMap((a) => (a.ok ? [] : [a.error.code])));
    expect([...codes].every((c) => c === "ALREADY_CANCELLED" || c === "CANCELLATION_IN_PROGRESS")).toBe(true);
    expect((await readLines(db, "SO-RACE-GATE")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([
      [4, 0],
      [1, 0],
    ]);
    await expectLedgerMatchesLines();
  });
});

describe("idempotency keys (REST API retries)", () => {
  test("the same key from the same actor never cancels twice, even at the same moment", async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-IDEM", [{ sku: "A", ordered: 10 }]);
    const call = () =>
      cancelLineItems(db, {
        ...context,
        source: "api",
        actor: { type: "api_key", id: "key-1" },
        requestKey: "retry-me",
        subOrderId: "SO-IDEM",
        lines: [{ sku: "A", quantity: 2 }],
      });
    const results = await Promise.all([call(), call(), call()]);
    const again = await call();
    for (const result of [...results, again]) expect(result).toMatchObject({ ok: true, value: { units: 2 } });
    const ids = new Set([...results, again].map((r) => (r.ok ? r.value.cancellationId : "")));
    expect(ids.size).toBe(1);
    expect((await readLines(db, "SO-IDEM")).map((l) => l.cancelled)).toEqual([2]);

    const otherKey = await cancelLineItems(db, {
      ...context,
      actor: { type: "api_key", id: "key-1" },
      requestKey: "another",
      subOrderId: "SO-IDEM",
      lines: [{ sku: "A", quantity: 2 }],
    });
    expect(otherKey.ok).toBe(true);
    expect((await readLines(db, "SO-IDEM")).map((l) => l.cancelled)).toEqual([4]);

    const reused = await cancelSubOrder(db, {
      ...context,
      actor: { type: "api_key", id: "key-1" },
      requestKey: "retry-me",
      subOrderId: "SO-OPEN",
      mode: "strict",
    });
    expect(reused).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });
});
