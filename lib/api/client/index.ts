/**
 * A typed client of /api/v1 (openapi-fetch over the generated `paths`): every path, parameter, body
 * and answer is checked by TypeScript against lib/api/client/openapi.json.
 *
 *   const api = createApiClient({ baseUrl: "https://oms.example.com", apiKey: process.env.OMS_KEY });
 *   const { data, error, response } = await api.POST("/sub-orders/{id}/cancel", {
 *     params: { path: { id: "SO-000123-1" }, header: { "Idempotency-Key": crypto.randomUUID() } },
 *     body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
 *   });
 *
 * `error` is the problem details (RFC 9457) of a 4xx/5xx answer; `response` has the status and the
 * RateLimit-* headers.
 */
import createClient, { type Client } from "openapi-fetch";

import type { paths } from "./schema";

export type { components, operations, paths } from "./schema";

export type ApiClient = Client<paths>;

export function createApiClient(options: {
  /** The app's origin, e.g. `https://oms.example.com`; `/api/v1` is added. */
  baseUrl: string;
  /** An API key from Settings → API keys (`oms_…`). */
  apiKey: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: (input: Request) => Promise<Response>;
}): ApiClient {
  return createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, "")}/api/v1`,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
