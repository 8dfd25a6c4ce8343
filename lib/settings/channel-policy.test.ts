import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { auditEvents, channels } from "@/db/schema";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { decryptWebhookSecret } from "@/lib/webhooks/secret";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, SYSTEM_ACTOR, TEST_REASON } from "@/test/fixtures";
import { updateChannelPolicy, webhookUrlProblem } from "./channel-policy";
import { type ChannelPolicyInput, channelPolicySchema } from "./channel-policy-schema";

let database: TestDatabase;
let db: Db;
const by = { actor: { type: "user", id: "demo-admin", label: "admin@demo.test" }, sourceIp: null } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
});
afterAll(async () => {
  await database.drop();
});

const policy = (fields: Record<string, unknown>): ChannelPolicyInput =>
  channelPolicySchema.parse({ channelId: "CH-TEST", partialQuantities: "partial", ...fields });

const stored = async () => {
  const [row] = await db.select().from(channels).where(eq(channels.id, "CH-TEST"));
  if (!row) throw new Error("no channel");
  return row;
};

const cancelTwoOfFive = (subOrderId: string) =>
  cancelLineItems(db, {
    subOrderId,
    lines: [{ sku: "A", quantity: 2 }],
    reasonCode: TEST_REASON,
    actor: SYSTEM_ACTOR,
    source: "single",
  });

describe("channel policy", () => {
  test("whole lines only: the next partial cancel is refused by the service before anything is reserved; audited", async () => {
    await insertSubOrder(db, "SO-POL-1", [{ sku: "A", ordered: 5 }]);
    await insertSubOrder(db, "SO-POL-2", [{ sku: "A", ordered: 5 }]);
    expect((await cancelTwoOfFive("SO-POL-1")).ok).toBe(true);

    const saved = await updateChannelPolicy(
      db,
      policy({ partialQuantities: "whole", fillOrKill: "on", cargoRefund: "on" }),
      by,
    );
    expect(saved).toEqual({
      ok: true,
      data: { channelId: "CH-TEST", name: "Test channel", webhookSecret: "none", newSecret: null },
    });
    expect(await stored()).toMatchObject({ partialQuantities: false, fillOrKill: true, cargoRefund: true });

    expect(await cancelTwoOfFive("SO-POL-2")).toMatchObject({
      ok: false,
      error: { code: "WHOLE_LINES_ONLY" },
    });
    const entries = await db.execute(sql`SELECT 1 FROM cancellations WHERE sub_order_id = 'SO-POL-2'`);
    expect(entries.rows).toEqual([]);

    // Back to partial quantities: allowed again. An absent cargoRefund keeps the stored value.
    expect((await updateChannelPolicy(db, policy({ fillOrKill: "on" }), by)).ok).toBe(true);
    expect(await stored()).toMatchObject({ partialQuantities: true, fillOrKill: true, cargoRefund: true });
    expect((await cancelTwoOfFive("SO-POL-2")).ok).toBe(true);

    const events = await db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "settings.update"), eq(auditEvents.target, "channel:CH-TEST")))
      .orderBy(auditEvents.id);
    expect(events.map((e) => e.detail)).toEqual([
      {
        setting: "channel_policy",
        channel: "CH-TEST",
        name: "Test channel",
        changes: {
          partialQuantities: { from: true, to: false },
          fillOrKill: { from: false, to: true },
          cargoRefund: { from: false, to: true },
        },
        webhookSecret: "none",
      },
      expect.objectContaining({ changes: { partialQuantities: { from: false, to: true } } }),
    ]);
  });

  test("a webhook URL aimed at 127.0.0.1 is refused unless private networks are allowed", async () => {
    for (const url of [
      "http://127.0.0.1:9/hooks",
      "http://127.1/hooks",
      "http://[::1]/hooks",
      "http://10.0.0.8/hooks",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:3000/hooks",
    ]) {
      const refused = await updateChannelPolicy(db, policy({ webhookUrl: url }), by, {
        allowPrivateNetworks: false,
      });
      expect(refused, url).toMatchObject({ ok: false, code: "INVALID_INPUT" });
      if (!refused.ok)
        expect(refused.fieldErrors?.webhookUrl?.[0]).toMatch(/private, loopback or link-local address/);
    }
    expect((await stored()).webhookUrl).toBeNull();
    expect(webhookUrlProblem("https://hooks.example.com/oms?source=panel", false)).toBeNull();

    // The tests run with CONNECTOR_ALLOW_PRIVATE_NETWORKS=on (vitest.config.ts), as a demo does.
    const allowed = await updateChannelPolicy(db, policy({ webhookUrl: "http://127.0.0.1:9/hooks" }), by);
    expect(allowed).toMatchObject({ ok: true, data: { webhookSecret: "generated" } });
  });

  test("the webhook secret is write-only: generated and shown once, kept when blank, replaced when typed, dropped with the URL", async () => {
    const url = "https://hooks.example.com/oms";
    const first = await updateChannelPolicy(db, policy({ webhookUrl: url }), by);
    if (!first.ok) throw new Error(first.message);
    // Another origin: a new secret, never the old one following the address.
    expect(first.data.webhookSecret).toBe("generated");
    const secret = first.data.newSecret as string;
    expect(secret).toMatch(/^whsec_/);
    const row = await stored();
    expect(row.webhookSecretEncrypted).not.toContain(secret);
    expect(decryptWebhookSecret(row.webhookSecretEncrypted as string)).toBe(secret);

    const kept = await updateChannelPolicy(db, policy({ webhookUrl: `${url}/v2` }), by);
    expect(kept).toMatchObject({ ok: true, data: { webhookSecret: "kept", newSecret: null } });
    expect(decryptWebhookSecret((await stored()).webhookSecretEncrypted as string)).toBe(secret);

    const typed = "a-secret-the-channel-gave-us-0123";
    expect(
      await updateChannelPolicy(db, policy({ webhookUrl: url, webhookSecret: typed }), by),
    ).toMatchObject({
      ok: true,
      data: { webhookSecret: "replaced", newSecret: null },
    });
    expect(decryptWebhookSecret((await stored()).webhookSecretEncrypted as string)).toBe(typed);

    const rotated = await updateChannelPolicy(db, policy({ webhookUrl: url, newSecret: "on" }), by);
    expect(rotated).toMatchObject({ ok: true, data: { webhookSecret: "generated" } });

    expect(
      channelPolicySchema.safeParse({
        channelId: "CH-TEST",
        partialQuantities: "partial",
        webhookSecret: "short",
      }).success,
    ).toBe(false);
    const orphan = await updateChannelPolicy(db, policy({ webhookSecret: typed }), by);
    expect(orphan).toMatchObject({
      ok: false,
      fieldErrors: { webhookSecret: [expect.stringMatching(/webhook URL/)] },
    });

    expect(await updateChannelPolicy(db, policy({}), by)).toMatchObject({
      ok: true,
      data: { webhookSecret: "removed" },
    });
    expect(await stored()).toMatchObject({ webhookUrl: null, webhookSecretEncrypted: null });

    const audited = await db.execute<{ detail: string }>(sql`
      SELECT detail::text AS detail FROM audit_events WHERE target = 'channel:CH-TEST'`);
    expect(audited.rows.map((r) => r.detail).join("\n")).not.toContain(typed);
    expect(audited.rows.map((r) => r.detail).join("\n")).not.toContain(secret);
  });

  test("bad input is refused naming the field", () => {
    const result = channelPolicySchema.safeParse({
      channelId: "CH-TEST",
      partialQuantities: "sometimes",
      webhookUrl: "ftp://files.example.com/x",
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues.map((i) => i.path.join("."))).toEqual(["partialQuantities", "webhookUrl"]);
    }
    expect(
      channelPolicySchema.safeParse({
        channelId: "CH-TEST",
        partialQuantities: true,
        webhookUrl: "https://user:pw@hooks.example.com/",
      }).success,
    ).toBe(false);
  });
});
