import { getIP } from "better-auth/api";
import { env } from "@/lib/env";

/**
 * How the client IP is read, shared by better-auth (its rate limiter, session rows) and our own
 * audit and API-key code. X-Forwarded-For is trusted only as a single value (what `next start` sets
 * from the socket) or, behind proxies listed in TRUSTED_PROXIES, walked from the right.
 */
export function ipAddressOptions() {
  return { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: env().TRUSTED_PROXIES };
}

/** The client IP of a request, or null when none can be trusted. */
export function getClientIp(headers: Headers): string | null {
  return getIP(headers, { advanced: { ipAddress: ipAddressOptions() } });
}
