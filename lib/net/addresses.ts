import ipaddr from "ipaddr.js";

/**
 * Address checks with a maintained library (ipaddr.js), never hand-written CIDR maths. IPv4 written
 * as IPv6 (`::ffff:10.0.0.1`) is read as the IPv4 address it is.
 */

/** The address in its canonical form (`::ffff:1.2.3.4` becomes `1.2.3.4`), or null when it is not one. */
export function normalizeAddress(value: string): string | null {
  const bare = value.trim().replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare).toString();
}

/**
 * Whether the address is on the public internet: not loopback, private (RFC 1918, IPv6 unique
 * local), link-local (cloud metadata lives there), carrier-grade NAT, multicast, unspecified or
 * reserved.
 */
export function isPublicAddress(value: string): boolean {
  const bare = value.trim().replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === "unicast";
}

/** Whether the address is inside one of the ranges (plain addresses or CIDR blocks). */
export function isInRanges(value: string, ranges: readonly string[]): boolean {
  const address = normalizeAddress(value);
  if (address === null) return false;
  const parsed = ipaddr.parse(address);
  return ranges.some((range) => {
    if (!range.includes("/")) return normalizeAddress(range) === address;
    if (!ipaddr.isValidCIDR(range)) return false;
    const cidr = ipaddr.parseCIDR(range);
    return cidr[0].kind() === parsed.kind() && parsed.match(cidr);
  });
}
