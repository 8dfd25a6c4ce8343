import { authenticateApiRequest } from "@/lib/auth/api-keys";

export const dynamic = "force-dynamic";

/** For integrations: which key is this, and what may it do? Needs the `read` scope. */
export async function GET(request: Request) {
  const auth = await authenticateApiRequest(request, "read");
  if (!auth.ok) return auth.response;
  const { id, name, prefix, scopes, lastUsedAt } = auth.key;
  return Response.json(
    { ok: true, data: { id, name, prefix, scopes, lastUsedAt } },
    { headers: { "Cache-Control": "no-store" } },
  );
}
