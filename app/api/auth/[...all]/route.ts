import { handleAuthRequest } from "@/lib/auth/auth-handler";

export const dynamic = "force-dynamic";

/**
 * better-auth: sign-in, sign-out and session reads. Public by design: these endpoints are how a
 * visitor becomes known; better-auth checks origins, rate-limits sign-ins and never lets the client
 * set a role.
 */
export async function GET(request: Request) {
  return handleAuthRequest(request);
}

export async function POST(request: Request) {
  return handleAuthRequest(request);
}
