// fast-check generators shared by the protocol tests.
import fc from "fast-check";
import { formatIpv4Address } from "../../src/protocols/address.ts";
import type { Ipv4Fields } from "../../src/protocols/ipv4.ts";

export const ipv4Address = fc.nat({ max: 0xffffffff }).map(formatIpv4Address);

export const ipv4Fields: fc.Arbitrary<Ipv4Fields> = fc.record({
  source: ipv4Address,
  destination: ipv4Address,
  protocol: fc.nat({ max: 255 }),
  ttl: fc.nat({ max: 255 }),
  dscp: fc.nat({ max: 63 }),
  ecn: fc.nat({ max: 3 }),
  identification: fc.nat({ max: 0xffff }),
  reserved: fc.boolean(),
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.nat({ max: 0x1fff }),
  options: fc
    .nat({ max: 10 })
    .chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
});

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}
