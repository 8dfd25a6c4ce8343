/**
 * The proxy's check of a server action request (a POST with a `Next-Action` header) before Next.js
 * runs it. Next refuses both cases below itself, but by throwing, which answers 500: a request from
 * another site (its Origin is not this host) and a body over the actions' 1 MB limit, whether
 * declared or found while reading a chunked body. Here they get the 4xx they are (403, 413, and
 * 411 for a chunked body), with a problem body, and leave no error in the log.
 */
import { failure } from "@/lib/action-result";

/** Next's default `serverActions.bodySizeLimit` ("1mb"); next.config.ts does not change it. */
export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

/** The failure a server action request is refused with, or null when it may go on to Next. */
export function refuseServerAction(method: string, headers: Headers) {
  if (method !== "POST" || !headers.has("next-action")) return null;
  const origin = headers.get("origin");
  if (origin !== null && origin !== "null") {
    const hosts = [headers.get("x-forwarded-host")?.split(",")[0]?.trim(), headers.get("host")];
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      // not a URL: another site's at best
    }
    if (originHost === null || !hosts.includes(originHost))
      return failure("FORBIDDEN", { crossSiteAction: true });
  }
  // A body streamed in chunks has no declared length, so Next can only find it too big by reading
  // it, and then throws (500). Browsers send an action's body whole, with its Content-Length.
  if (headers.has("transfer-encoding") && !headers.has("content-length")) {
    return failure("LENGTH_REQUIRED", {});
  }
  const length = Number(headers.get("content-length") ?? "0");
  if (length > SERVER_ACTION_BODY_LIMIT) {
    return failure("PAYLOAD_TOO_LARGE", {
      problem: `The request is ${Math.ceil(length / 1024)} KB; an action takes at most ${SERVER_ACTION_BODY_LIMIT / 1024} KB.`,
    });
  }
  return null;
}
