import { ApiReference } from "@scalar/nextjs-api-reference";

/**
 * The API reference (Scalar) for /api/v1, from the generated OpenAPI document. Its script is
 * served from this app (./scalar.js), never from a CDN: the page works offline and under the CSP.
 */
export const GET = ApiReference({
  url: "/api/v1/openapi.json",
  cdn: "/api/docs/scalar.js",
  pageTitle: "Order cancellation panel API",
  withDefaultFonts: false,
  hideClientButton: true,
});
