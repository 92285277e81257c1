// Fragmentation as RFC 791 §3.2 ("An Example Fragmentation Procedure") describes it: every
// fragment but the last carries a multiple of 8 payload bytes, the offset counts 8-byte blocks,
// More Fragments is set on all but the last (or kept if the packet was itself a fragment), and
// only options with the "copied" flag are repeated after the first fragment.
import { encodeIpv4, type Ipv4Header } from "../protocols/ipv4.ts";

/** Splits one packet into fragments that each fit `mtu`. */
export function fragmentPacket(header: Ipv4Header, payload: Uint8Array, mtu: number): Uint8Array[] {
  const fragments: Uint8Array[] = [];
  const laterOptions = copiedOptions(header.options);
  let options = header.options;
  let start = 0;
  while (start < payload.length || fragments.length === 0) {
    const headerLength = 20 + ((options.length + 3) & ~3);
    // NFB of RFC 791: the number of 8-byte blocks that fit after the header.
    const blocks = Math.max(1, Math.floor((mtu - headerLength) / 8));
    const last = payload.length - start <= blocks * 8;
    const end = last ? payload.length : start + blocks * 8;
    fragments.push(
      encodeIpv4(
        {
          source: header.source,
          destination: header.destination,
          protocol: header.protocol,
          ttl: header.ttl,
          dscp: header.dscp,
          ecn: header.ecn,
          identification: header.identification,
          reserved: header.reserved,
          dontFragment: header.dontFragment,
          moreFragments: last ? header.moreFragments : true,
          fragmentOffset: header.fragmentOffset + start / 8,
          options,
        },
        payload.subarray(start, end),
      ),
    );
    start = end;
    options = laterOptions;
  }
  return fragments;
}

/** RFC 791 §3.1: an option whose type has the high bit set is copied into every fragment. */
function copiedOptions(options: Uint8Array): Uint8Array {
  const kept: number[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i]!;
    if (type === 0) break; // End of Option List
    if (type === 1) {
      i++; // No Operation: a single byte, not copied
      continue;
    }
    const length = options[i + 1] ?? 0;
    if (length < 2 || i + length > options.length) break;
    if (type & 0x80) kept.push(...options.subarray(i, i + length));
    i += length;
  }
  return Uint8Array.from(kept);
}
