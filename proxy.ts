import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";

import { problemOf, problemResponse } from "@/lib/api/problem";
import { AUTH_COOKIE_PREFIX } from "@/lib/auth/cookie";
import { signInPath } from "@/lib/auth/next-path";
import { refuseServerAction } from "@/lib/http/server-action-guard";

/**
 * The first gate of every request:
 * - an address whose percent-encoding is malformed (`/api/v1/sub-orders/SO%ZZ`) is refused with a
 *   400 that says so, before the router fails to decode it;
 * - a server action from another site, or with a body over the actions' limit, is refused with
 *   403 / 413 (Next.js refuses both too, but as a 500: lib/http/server-action-guard.ts);
 * - an optimistic sign-in gate: a page request without a session cookie goes to the sign-in page
 *   and comes back afterwards. It only looks at the cookie's presence (it never reads the
 *   database), so it is a convenience, not the check: every layout, page, server action and route
 *   handler verifies the session and the permission itself. API routes answer 401 themselves, and
 *   non-GET requests (server actions) pass through so that the action answers for itself.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!isWellEncoded(pathname)) {
    return problemResponse(
      problemOf({
        code: "INVALID_INPUT",
        message:
          "The address has a malformed percent-encoding (a % must be followed by two hexadecimal digits).",
      }),
    );
  }
  const refused = refuseServerAction(request.method, request.headers);
  if (refused) return problemResponse(problemOf(refused));
  if (pathname.startsWith("/api/") || pathname.startsWith("/sign-in")) return NextResponse.next();
  // A one-time set-password link (Settings → Users): its visitor has no session yet.
  if (pathname.startsWith("/invite/")) return NextResponse.next();
  if (request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
  if (getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) return NextResponse.next();
  return NextResponse.redirect(new URL(signInPath(pathname + search), request.url));
}

function isWellEncoded(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Everything but Next's assets and public files.
  matcher: ["/((?!_next/|favicon\\.ico|samples/|.*\\.[a-zA-Z0-9]+$).*)"],
};
