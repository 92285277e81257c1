// Record data of the types the decoder keeps as raw bytes but a packet browser should still
// spell out (RFC 1035 §3.3.9 MX, §3.3.13 SOA; RFC 2782 SRV; RFC 6891 OPT), with Wireshark's
// field names. Reads the whole message, since names inside the data may be compressed.
import { readName, wiresharkNameText } from "./dns-name.ts";
import { hex16, placedField } from "./field.ts";
import type { Field } from "./types.ts";

export const DNS_MX = 15;
export const DNS_SOA = 6;
export const DNS_SRV = 33;
export const DNS_OPT = 41;

/**
 * Fields of the record data at `start` (message-relative, `length` bytes), or null when the
 * type is not one of these or the data does not hold together. `offset` places the message in
 * the packet.
 */
export function rdataDetails(
  message: Uint8Array,
  type: number,
  start: number,
  length: number,
  offset: number,
): Field[] | null {
  const end = start + length;
  const data = message.subarray(0, end);
  const u16 = (at: number) => (data[at]! << 8) | data[at + 1]!;
  const u32 = (at: number) => ((u16(at) << 16) | u16(at + 2)) >>> 0;
  const name = (at: number, field: string, title: string, wireshark: string) => {
    const read = readName(data, at);
    if (read.error) return null;
    return {
      end: read.end,
      field: placedField(
        field,
        title,
        wireshark,
        offset + at,
        read.end - at,
        wiresharkNameText(data, at),
        read.name === "" ? "<Root>" : read.name,
      ),
    };
  };
  if (type === DNS_MX && length >= 3) {
    const exchange = name(start + 2, "exchange", "Mail Exchange", "dns.mx.mail_exchange");
    if (!exchange || exchange.end !== end) return null;
    return [
      placedField("preference", "Preference", "dns.mx.preference", offset + start, 2, u16(start)),
      exchange.field,
    ];
  }
  if (type === DNS_SRV && length >= 7) {
    const target = name(start + 6, "target", "Target", "dns.srv.target");
    if (!target || target.end !== end) return null;
    return [
      placedField("priority", "Priority", "dns.srv.priority", offset + start, 2, u16(start)),
      placedField("weight", "Weight", "dns.srv.weight", offset + start + 2, 2, u16(start + 2)),
      placedField("port", "Port", "dns.srv.port", offset + start + 4, 2, u16(start + 4)),
      target.field,
    ];
  }
  if (type === DNS_SOA) {
    const mname = name(start, "mname", "Primary Name Server", "dns.soa.mname");
    if (!mname) return null;
    const rname = name(mname.end, "rname", "Responsible Mailbox", "dns.soa.rname");
    if (!rname || rname.end + 20 !== end) return null;
    const at = rname.end;
    const numbers: [string, string, string][] = [
      ["serial", "Serial Number", "dns.soa.serial_number"],
      ["refresh", "Refresh Interval", "dns.soa.refresh_interval"],
      ["retry", "Retry Interval", "dns.soa.retry_interval"],
      ["expire", "Expire Limit", "dns.soa.expire_limit"],
      ["minimum", "Minimum TTL", "dns.soa.minimum_ttl"],
    ];
    return [
      mname.field,
      rname.field,
      ...numbers.map(([field, title, wireshark], i) =>
        placedField(field, title, wireshark, offset + at + 4 * i, 4, u32(at + 4 * i)),
      ),
    ];
  }
  if (type === DNS_OPT) {
    // RFC 6891 §6.1.3: a sequence of {code, length, data} options.
    const options: Field[] = [];
    for (let at = start; at < end;) {
      if (at + 4 > end) return null;
      const size = u16(at + 2);
      if (at + 4 + size > end) return null;
      options.push(
        placedField("option", "Option", "dns.opt", offset + at, 4 + size, u16(at), undefined, [
          placedField("code", "Option Code", "dns.opt.code", offset + at, 2, u16(at)),
          placedField("length", "Option Length", "dns.opt.len", offset + at + 2, 2, size),
          ...(size > 0
            ? [
                placedField(
                  "data",
                  "Option Data",
                  "dns.opt.data",
                  offset + at + 4,
                  size,
                  hex(data, at + 4, size),
                ),
              ]
            : []),
        ]),
      );
      at += 4 + size;
    }
    return options;
  }
  return null;
}

/**
 * RFC 6891 §6.1.3: an OPT record's class is the sender's UDP payload size and its TTL holds the
 * extended rcode, the EDNS version and flags (DO is the top bit). `at` is the class's position.
 */
export function optHeaderFields(rclass: number, ttl: number, at: number): Field[] {
  const z = ttl & 0xffff;
  return [
    placedField("udpPayloadSize", "UDP Payload Size", "dns.rr.udp_payload_size", at, 2, rclass),
    placedField("extendedRcode", "Extended RCODE", "dns.resp.ext_rcode", at + 2, 1, ttl >>> 24),
    placedField(
      "version",
      "EDNS Version",
      "dns.resp.edns0_version",
      at + 3,
      1,
      (ttl >>> 16) & 0xff,
    ),
    placedField("z", "Z", "dns.resp.z", at + 4, 2, z, hex16(z), [
      placedField("do", "DNSSEC OK", "dns.resp.z.do", at + 4, 2, (z & 0x8000) !== 0),
    ]),
  ];
}

function hex(bytes: Uint8Array, start: number, length: number): string {
  let text = "";
  for (let i = start; i < start + length; i++) text += bytes[i]!.toString(16).padStart(2, "0");
  return text;
}
