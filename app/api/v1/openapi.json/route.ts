import { buildOpenApiDocument } from "@/lib/api/contract/openapi";
import { OPERATIONS } from "@/lib/api/contract/operations";

export const dynamic = "force-static";

/** The OpenAPI 3.1 document of /api/v1, generated from the handlers' own schemas. Public. */
export function GET() {
  return Response.json(buildOpenApiDocument(OPERATIONS), {
    headers: { "Cache-Control": "public, max-age=300" },
  });
}
