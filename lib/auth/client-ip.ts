import type { IncomingMessage } from "node:http";
import http from "node:http";
import { env } from "@/lib/env";
import { isInRanges, normalizeAddress } from "@/lib/net/addresses";

/**
 * The client IP, decided once per request from the connection itself: the server stamps it on
 * every incoming request in this header, overwriting whatever a client sent under that name. Without
 * TRUSTED_PROXIES it is the connection's address and X-Forwarded-For is ignored (a client cannot
 * pick its own IP for the sign-in limiter or the audit log); behind proxies listed there,
 * X-Forwarded-For is walked from the right past those proxies.
 */
export const CLIENT_IP_HEADER = "x-oms-client-ip";

/** For better-auth (its rate limiter, session rows): read the stamped header, nothing else. */
export function ipAddressOptions() {
  return { ipAddressHeaders: [CLIENT_IP_HEADER] };
}

/** The client IP of a request, or null when none is known. */
export function getClientIp(headers: Headers): string | null {
  return normalizeAddress(headers.get(CLIENT_IP_HEADER) ?? "");
}

/**
 * The client of a connection from `remote` (the socket's address): `remote` itself unless it is a
 * trusted proxy, in which case the X-Forwarded-For entries are taken from the right, each proxy
 * passing its own client on, until one that is not a trusted proxy. Null when the chain is broken.
 */
export function clientIpOf(
  remote: string | null | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): string | null {
  let ip = normalizeAddress(remote ?? "");
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  while (ip !== null && trustedProxies.length > 0 && isInRanges(ip, trustedProxies)) {
    const next = chain.pop();
    if (next === undefined) return ip;
    ip = normalizeAddress(next);
  }
  return ip;
}

/**
 * Makes the server stamp CLIENT_IP_HEADER on every request it receives, before the app sees it.
 * Called once at start (instrumentation), in the process that owns the HTTP server.
 */
export function stampClientIps(): void {
  const proto = http.Server.prototype as http.Server & { __omsClientIp?: boolean };
  if (proto.__omsClientIp) return;
  proto.__omsClientIp = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      const ip = clientIpOf(
        request.socket?.remoteAddress,
        request.headers["x-forwarded-for"],
        env().TRUSTED_PROXIES,
      );
      if (ip) request.headers[CLIENT_IP_HEADER] = ip;
      else delete request.headers[CLIENT_IP_HEADER];
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
