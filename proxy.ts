import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";

import { AUTH_COOKIE_PREFIX } from "@/lib/auth/cookie";
import { signInPath } from "@/lib/auth/next-path";

/**
 * An optimistic first gate: a page request without a session cookie goes to the sign-in page and
 * comes back afterwards. It only looks at the cookie's presence (it never reads the database), so
 * it is a convenience, not the check: every layout, page, server action and route handler verifies
 * the session and the permission itself. Non-GET requests (server actions) pass through untouched
 * so that the action answers for itself.
 */
export function proxy(request: NextRequest) {
  if (request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
  if (getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  return NextResponse.redirect(new URL(signInPath(pathname + search), request.url));
}

export const config = {
  // Everything but the sign-in page, API routes (they answer 401 themselves), Next's assets and files.
  matcher: ["/((?!api/|_next/|sign-in|favicon\\.ico|samples/|.*\\.[a-zA-Z0-9]+$).*)"],
};
