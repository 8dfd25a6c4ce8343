import { handleAuthRequest } from "@/lib/auth/auth-handler";
import { readBody } from "../../_lib/json-body";

export const dynamic = "force-dynamic";

/**
 * better-auth: sign-in, sign-out and session reads. Public by design: these endpoints are how a
 * visitor becomes known; better-auth checks origins, rate-limits sign-ins and never lets the client
 * set a role.
 */
export async function GET(request: Request) {
  return handleAuthRequest(request);
}

/** Sign-in and sign-out bodies are a few hundred bytes: this endpoint reads at most 64 KB of one. */
const MAX_AUTH_BODY_BYTES = 64 * 1024;

export async function POST(request: Request) {
  // better-auth would read any body whole before refusing it: this is a public endpoint.
  const body = await readBody(request, MAX_AUTH_BODY_BYTES);
  if (!body.ok) return body.response;
  return handleAuthRequest(new Request(request, { body: body.bytes }));
}
