import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getReasonMappingWarning, listReasonMappingChannels, listReasons } from "@/db/queries/reasons";
import { listActiveReasons } from "@/db/queries/sub-orders";
import { auditEvents, channelReasonCodes } from "@/db/schema";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, SYSTEM_ACTOR } from "@/test/fixtures";
import { addReason } from "./add-reason";
import {
  channelCodeProblem,
  type MappingChannel,
  mappingNeedOf,
  mappingProblemMessage,
  unmappedChannels,
  unmappedReasons,
} from "./mapping";
import { renameReason } from "./rename-reason";
import { removeReasonMapping, saveReasonMapping } from "./save-reason-mapping";
import { addReasonSchema } from "./schemas";
import { setReasonActive } from "./set-reason-active";

let database: TestDatabase;
let db: Db;
const by = {
  actor: { type: "user", id: "demo-admin", label: "admin@demo.test" },
  sourceIp: "192.0.2.1",
} as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  await db.execute(sql`
    INSERT INTO channels (id, name, connector) VALUES
      ('CH-COMMERCE', 'Commerce channel', 'commerce'),
      ('CH-PORTAL', 'Seller portal', 'manual'),
      ('CH-DROP', 'Dropship partner', 'dropship')`);
});
afterAll(async () => {
  await database.drop();
});

const settingsEvents = (target: string) =>
  db
    .select({ detail: auditEvents.detail, actorLabel: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "settings.update"), eq(auditEvents.target, target)))
    .orderBy(auditEvents.id);

describe("reason codes", () => {
  test("added, renamed, deactivated and reactivated; each change audited", async () => {
    const input = addReasonSchema.parse({
      code: " supplier_recall ",
      label: "Supplier recall",
      initiator: "seller",
    });
    expect(input.code).toBe("SUPPLIER_RECALL");
    const added = await addReason(db, input, by);
    expect(added).toEqual({
      ok: true,
      data: { code: "SUPPLIER_RECALL", label: "Supplier recall", initiator: "seller", active: true },
    });
    expect((await listActiveReasons(db)).map((r) => r.code)).toContain("SUPPLIER_RECALL");

    expect(
      await renameReason(db, { code: "SUPPLIER_RECALL", label: "Recalled by the supplier" }, by),
    ).toMatchObject({
      ok: true,
      data: { label: "Recalled by the supplier" },
    });
    expect((await listReasons(db)).find((r) => r.code === "SUPPLIER_RECALL")?.label).toBe(
      "Recalled by the supplier",
    );

    const events = await settingsEvents("reason:SUPPLIER_RECALL");
    expect(events.map((e) => e.detail)).toEqual([
      {
        setting: "reason",
        change: "added",
        code: "SUPPLIER_RECALL",
        label: "Supplier recall",
        initiator: "seller",
      },
      {
        setting: "reason",
        change: "renamed",
        code: "SUPPLIER_RECALL",
        label: { from: "Supplier recall", to: "Recalled by the supplier" },
      },
    ]);
    expect(events[0]?.actorLabel).toBe("admin@demo.test");
  });

  test("a duplicate code is refused naming the field, active or not, whatever its case", async () => {
    for (const code of ["TEST_REASON", "retired"]) {
      const result = await addReason(
        db,
        addReasonSchema.parse({ code, label: "Again", initiator: "customer" }),
        by,
      );
      expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT" });
      if (!result.ok) expect(result.fieldErrors?.code?.[0]).toMatch(/exists already/);
    }
    // Bad codes and automatic reasons never reach the service.
    expect(addReasonSchema.safeParse({ code: "9LIVES", label: "x", initiator: "seller" }).success).toBe(
      false,
    );
    expect(addReasonSchema.safeParse({ code: "OK_CODE", label: "x", initiator: "automatic" }).success).toBe(
      false,
    );
  });

  test("deactivating keeps the ledger entries that carry the code and hides it from the selects; new cancels are refused", async () => {
    await addReason(
      db,
      addReasonSchema.parse({ code: "SHORT_LIVED", label: "Short lived", initiator: "customer" }),
      by,
    );
    await insertSubOrder(db, "SO-RSN-1", [{ sku: "A", ordered: 1 }]);
    await insertSubOrder(db, "SO-RSN-2", [{ sku: "A", ordered: 1 }]);
    const context = { actor: SYSTEM_ACTOR, source: "single", reasonCode: "SHORT_LIVED" } as const;
    expect((await cancelSubOrder(db, { ...context, subOrderId: "SO-RSN-1", mode: "strict" })).ok).toBe(true);

    expect(await setReasonActive(db, { code: "SHORT_LIVED", active: false }, by)).toMatchObject({
      ok: true,
      data: { active: false },
    });
    const ledger = await db.execute<{ reason_code: string; label: string; status: string }>(sql`
      SELECT c.reason_code, r.label, c.status FROM cancellations c
        JOIN cancellation_reasons r ON r.code = c.reason_code
       WHERE c.sub_order_id = 'SO-RSN-1'`);
    expect(ledger.rows).toEqual([{ reason_code: "SHORT_LIVED", label: "Short lived", status: "CONFIRMED" }]);
    expect((await listActiveReasons(db)).map((r) => r.code)).not.toContain("SHORT_LIVED");
    expect((await listReasons(db)).find((r) => r.code === "SHORT_LIVED")?.active).toBe(false);
    expect(await cancelSubOrder(db, { ...context, subOrderId: "SO-RSN-2", mode: "strict" })).toMatchObject({
      ok: false,
      error: { code: "REASON_NOT_FOUND" },
    });

    expect((await setReasonActive(db, { code: "SHORT_LIVED", active: true }, by)).ok).toBe(true);
    expect((await listActiveReasons(db)).map((r) => r.code)).toContain("SHORT_LIVED");
    expect((await settingsEvents("reason:SHORT_LIVED")).map((e) => e.detail?.change)).toEqual([
      "added",
      "deactivated",
      "reactivated",
    ]);
  });

  test("automatic reasons are the system's: never renamed or deactivated here, and never offered to people", async () => {
    for (const result of [
      await renameReason(db, { code: "FILL_OR_KILL", label: "Mine now" }, by),
      await setReasonActive(db, { code: "FILL_OR_KILL", active: false }, by),
    ]) {
      expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT" });
      if (!result.ok) expect(result.fieldErrors?.code?.[0]).toMatch(/system reason/);
    }
    expect((await listActiveReasons(db)).map((r) => r.code)).not.toContain("FILL_OR_KILL");
    expect(await renameReason(db, { code: "NOPE", label: "x" }, by)).toMatchObject({ ok: false });
  });
});

describe("channel mappings", () => {
  test("saved, changed and removed, one-to-one per channel, whole numbers for commerce; audited", async () => {
    const save = (channelId: string, reasonCode: string, channelCode: string) =>
      saveReasonMapping(db, { channelId, reasonCode, channelCode }, by);
    expect(await save("CH-COMMERCE", "TEST_REASON", "12")).toMatchObject({
      ok: true,
      data: { channelName: "Commerce channel", channelCode: "12" },
    });
    expect(await save("CH-COMMERCE", "TEST_REASON", "13")).toMatchObject({
      ok: true,
      data: { channelCode: "13" },
    });

    const notInteger = await save("CH-COMMERCE", "SUPPLIER_RECALL", "recall");
    expect(notInteger).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    if (!notInteger.ok) expect(notInteger.fieldErrors?.channelCode?.[0]).toMatch(/whole-number/);
    const taken = await save("CH-COMMERCE", "SUPPLIER_RECALL", "13");
    if (taken.ok) throw new Error("a code taken by another reason was accepted");
    expect(taken.fieldErrors?.channelCode?.[0]).toMatch(/already has “13” for TEST_REASON/);
    expect(await save("CH-NOPE", "TEST_REASON", "1")).toMatchObject({ ok: false, code: "CHANNEL_NOT_FOUND" });
    // Texts elsewhere.
    expect((await save("CH-PORTAL", "TEST_REASON", "Member request: no longer wanted")).ok).toBe(true);

    expect(
      (await removeReasonMapping(db, { channelId: "CH-COMMERCE", reasonCode: "TEST_REASON" }, by)).ok,
    ).toBe(true);
    const left = await db
      .select()
      .from(channelReasonCodes)
      .where(eq(channelReasonCodes.channelId, "CH-COMMERCE"));
    expect(left).toEqual([]);
    expect((await settingsEvents("channel:CH-COMMERCE")).map((e) => e.detail)).toEqual([
      expect.objectContaining({ change: "mapped", channelCode: { from: null, to: "12" } }),
      expect.objectContaining({ change: "remapped", channelCode: { from: "12", to: "13" } }),
      expect.objectContaining({ change: "unmapped", channelCode: { from: "13", to: null } }),
    ]);
  });

  test("the warning: an active reason unmapped on a channel whose connector needs a mapping", async () => {
    await saveReasonMapping(
      db,
      { channelId: "CH-COMMERCE", reasonCode: "TEST_REASON", channelCode: "7" },
      by,
    );
    const channels = await listReasonMappingChannels(db);
    const byId = (id: string) => channels.find((c) => c.id === id) as MappingChannel;
    expect(byId("CH-COMMERCE").codes).toEqual({ TEST_REASON: "7" });

    // Commerce needs every reason; the seller portal names reasons in its own words once it has one;
    // the dropship API takes no reason; the test channel (manual, no mappings) uses our codes.
    expect(
      unmappedChannels("SUPPLIER_RECALL", channels).map((p) => [p.channelId, p.need, p.problem]),
    ).toEqual([
      ["CH-COMMERCE", "integer", "missing"],
      ["CH-PORTAL", "text", "missing"],
    ]);
    expect(unmappedChannels("TEST_REASON", channels)).toEqual([]);

    const reasons = await listReasons(db);
    expect(unmappedReasons(byId("CH-COMMERCE"), reasons).map((p) => p.reasonCode)).not.toContain("RETIRED");
    expect(unmappedReasons(byId("CH-COMMERCE"), reasons).map((p) => p.reasonCode)).toContain("FILL_OR_KILL");

    const warning = await getReasonMappingWarning(db, {
      channelId: "CH-COMMERCE",
      reasonCode: "SUPPLIER_RECALL",
    });
    expect(warning).toMatchObject({
      channelName: "Commerce channel",
      problem: "missing",
      reasonLabel: "Recalled by the supplier",
    });
    if (!warning) throw new Error("no warning");
    expect(mappingProblemMessage(warning, warning.reasonLabel)).toMatch(
      /^Commerce channel has no code for “Recalled by the supplier” \(SUPPLIER_RECALL\)/,
    );
    expect(
      await getReasonMappingWarning(db, { channelId: "CH-COMMERCE", reasonCode: "TEST_REASON" }),
    ).toBeNull();
    expect(
      await getReasonMappingWarning(db, { channelId: "CH-DROP", reasonCode: "SUPPLIER_RECALL" }),
    ).toBeNull();
    expect(
      await getReasonMappingWarning(db, { channelId: "CH-NOPE", reasonCode: "SUPPLIER_RECALL" }),
    ).toBeNull();
  });

  test.each([
    [{ connector: "commerce", codes: {} }, "integer"],
    [{ connector: "manual", codes: { A: "Text" } }, "text"],
    [{ connector: "manual", codes: {} }, null],
    [{ connector: "dropship", codes: { A: "customer_request" } }, null],
  ] as const)("mappingNeedOf(%o) is %s", (channel, need) => {
    expect(mappingNeedOf(channel)).toBe(need);
  });

  test("a commerce code that is not a whole number is a problem too", () => {
    const channel: MappingChannel = {
      id: "C",
      name: "C",
      connector: "commerce",
      codes: { A: "12", B: "x1" },
    };
    expect(unmappedChannels("A", [channel])).toEqual([]);
    expect(unmappedChannels("B", [channel])).toMatchObject([{ problem: "not_integer", channelCode: "x1" }]);
    expect(channelCodeProblem("commerce", "12")).toBeNull();
    expect(channelCodeProblem("commerce", "-1")).not.toBeNull();
    expect(channelCodeProblem("manual", "Any text")).toBeNull();
  });
});
