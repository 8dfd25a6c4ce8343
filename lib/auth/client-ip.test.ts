import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { CLIENT_IP_HEADER, clientIpOf, getClientIp, stampClientIps } from "./client-ip";

describe("clientIpOf", () => {
  test.each<[string, string | undefined, string[], string | null]>([
    // No trusted proxies: the connection's address, whatever X-Forwarded-For claims.
    ["203.0.113.7", "198.51.100.1", [], "203.0.113.7"],
    ["::ffff:203.0.113.7", undefined, [], "203.0.113.7"],
    ["127.0.0.1", "10.9.9.9", [], "127.0.0.1"],
    // Behind a trusted proxy: the entry it added; a client can only prepend, never replace.
    ["10.0.0.5", "203.0.113.9", ["10.0.0.0/24"], "203.0.113.9"],
    ["10.0.0.5", "1.1.1.1, 203.0.113.9", ["10.0.0.0/24"], "203.0.113.9"],
    // Two trusted hops.
    ["10.0.0.5", "203.0.113.9, 10.0.0.7", ["10.0.0.0/24"], "203.0.113.9"],
    // A connection that is not a trusted proxy: its own address.
    ["198.51.100.4", "203.0.113.9", ["10.0.0.0/24"], "198.51.100.4"],
    // A broken chain (garbage where an address should be) knows no client.
    ["10.0.0.5", "not-an-ip", ["10.0.0.0/24"], null],
    [undefined as unknown as string, undefined, [], null],
  ])("connection %s, X-Forwarded-For %s, trusted %j -> %s", (remote, forwarded, trusted, expected) => {
    expect(clientIpOf(remote, forwarded, trusted)).toBe(expected);
  });
});

test("the server stamps the connection's address, overwriting what a client sends", async () => {
  stampClientIps();
  const seen: (string | null)[] = [];
  const server = http.createServer((request, response) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers.set(name, value);
    seen.push(getClientIp(headers));
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await fetch(`http://127.0.0.1:${port}/`, {
      headers: { "x-forwarded-for": "198.51.100.66", [CLIENT_IP_HEADER]: "198.51.100.77" },
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  expect(seen).toEqual(["127.0.0.1"]);
});
