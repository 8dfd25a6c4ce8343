import { eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { getMe } from "@/lib/api/contract/operations/sub-orders";
import { ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../_lib/api-route";

export const dynamic = "force-dynamic";

/** For integrations: which key is this, and what may it do? */
export const GET = apiRoute(getMe, async ({ db, actor }) => {
  const [key] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, actor.id));
  if (!key) throw new Error(`API key ${actor.id} vanished`);
  return ok({
    status: 200,
    body: { ok: true, data: { ...key, lastUsedAt: key.lastUsedAt?.toISOString() ?? null } },
  });
});
