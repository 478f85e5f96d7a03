/**
 * Which hosts API Gateway cannot reach over the public internet: addresses the IANA
 * special-purpose registries mark as not globally reachable, multicast, and special-use
 * domain names. Sources (checked 2026-11):
 * - IANA IPv4 Special-Purpose Address Registry (RFC 6890):
 *   https://www.iana.org/assignments/iana-ipv4-special-registry/
 * - IANA IPv6 Special-Purpose Address Registry (RFC 6890):
 *   https://www.iana.org/assignments/iana-ipv6-special-registry/
 * - IANA IPv4 / IPv6 Multicast Address Space Registries: 224.0.0.0/4, ff00::/8
 * - IANA Special-Use Domain Names (RFC 6761, RFC 8375 home.arpa, RFC 9476 alt) and ICANN's
 *   reservation of `internal` for private use.
 * Entries the registries mark globally reachable (192.31.196.0/24 AS112, 192.52.193.0/24 AMT,
 * 192.175.48.0/24, 64:ff9b::/96, 2001:20::/28 ORCHIDv2, 2620:4f:8000::/48) are left out:
 * an issuer could in principle live there. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are
 * judged by their IPv4 address (BlockList does that itself).
 */
import { BlockList, isIP } from 'node:net';

/** [network, prefix length], IPv4: not globally reachable, plus multicast and broadcast. */
export const NON_PUBLIC_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private use
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link local
  ['172.16.0.0', 12], // private use
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private use
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 limited broadcast
];

/** [network, prefix length], IPv6: not globally reachable, plus multicast. */
export const NON_PUBLIC_IPV6: readonly (readonly [string, number])[] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // IPv4-IPv6 translation, local use
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (TEREDO, benchmarking, ORCHID...)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing (SRv6) SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local unicast
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

/** Names that never resolve in public DNS: special-use and private-use top-level domains. */
const NON_PUBLIC_DOMAINS = [
  'localhost',
  'local',
  'test',
  'invalid',
  'example',
  'home.arpa',
  'internal',
  'alt',
  'onion',
];

const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [network, prefix] of NON_PUBLIC_IPV4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of NON_PUBLIC_IPV6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

/** Whether an IP address (v4 or v6, brackets allowed) is one the internet cannot route to. */
export function isNonPublicAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family === 0) return false;
  return NON_PUBLIC.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a host name or address is loopback, private or otherwise unreachable from the internet. */
export function isLocalOrPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host) !== 0) return isNonPublicAddress(host);
  return NON_PUBLIC_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
