// Which addresses outgoing requests may reach. Webhook URLs are typed in by teachers, so without
// a rule a teacher could make the service call its own database, a cloud metadata endpoint
// (169.254.169.254) or anything else on the private network (SSRF). By default only public
// unicast addresses are allowed; OUTBOUND_ALLOW_PRIVATE opens chosen ranges (or all) for
// deployments whose LMS or receivers live on the private network, and for tests on 127.0.0.1.
import { BlockList, isIP } from "node:net";

// RFC 6890 special-purpose ranges, and IPv6's equivalents.
const PRIVATE_V4 = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const;
const PRIVATE_V6 = [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const;

const privateRanges = new BlockList();
for (const [network, prefix] of PRIVATE_V4) privateRanges.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of PRIVATE_V6) privateRanges.addSubnet(network, prefix, "ipv6");

/** `true`: any address; a list: these CIDR ranges besides public ones; `false`: public only. */
export type PrivateAllowance = boolean | string[];

export interface AddressPolicy {
  /** Undefined when the address may be reached, else why not. */
  refuse(address: string): string | undefined;
}

export function createAddressPolicy(allow: PrivateAllowance): AddressPolicy {
  const allowed = new BlockList();
  if (Array.isArray(allow)) {
    for (const range of allow) {
      const [network, prefix] = range.split("/");
      const family = isIP(network!) === 6 ? "ipv6" : "ipv4";
      const bits = prefix === undefined ? (family === "ipv6" ? 128 : 32) : Number(prefix);
      allowed.addSubnet(network!, bits, family);
    }
  }
  return {
    refuse(raw) {
      if (allow === true) return undefined;
      const address = unmapped(raw);
      const family = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (!isIP(address)) return `${raw} is not an IP address`;
      if (!privateRanges.check(address, family)) return undefined;
      if (allowed.check(address, family)) return undefined;
      return `${raw} is a private, loopback or reserved address (allow it with OUTBOUND_ALLOW_PRIVATE)`;
    },
  };
}

/** ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it carries. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}
