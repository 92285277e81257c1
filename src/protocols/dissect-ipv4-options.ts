// The options of an IPv4 header (RFC 791 §3.1), each with its parts, under Wireshark's names.
import { placedField } from "./field.ts";
import type { Field } from "./types.ts";

// RFC 791 §3.1 and the IANA registry: the options a learner may meet.
const OPTION_NAMES: Record<number, string> = {
  134: "Commercial IP Security Option",
  0: "End of Options List",
  1: "No-Operation",
  7: "Record Route",
  68: "Time Stamp",
  130: "Security",
  131: "Loose Source and Record Route",
  136: "Stream ID",
  137: "Strict Source and Record Route",
  148: "Router Alert",
};

// Wireshark's names for the options themselves (the type byte is ip.opt.type in all of them).
// Options Wireshark does not know it shows as bare text, so theirs carry no names at all.
const OPTION_WIRESHARK: Record<number, string> = {
  0: "ip.options.eol",
  1: "ip.options.nop",
  7: "ip.options.record_route",
  68: "ip.options.timestamp",
  130: "ip.options.security",
  131: "ip.options.route",
  134: "ip.options.cipso",
  136: "ip.options.sid",
  137: "ip.options.source_route",
  148: "ip.options.routeralert",
};

const RECORD_ROUTE = 7;
const TIMESTAMP = 68;
const LOOSE_SOURCE_ROUTE = 131;
const STREAM_ID = 136;
const STRICT_SOURCE_ROUTE = 137;
const ROUTER_ALERT = 148;

/**
 * The datagram's final destination when a source route option still has hops to go (RFC 791
 * §3.1: the header's destination is only the next hop then, and the UDP pseudo-header uses the
 * final one, RFC 1122 §4.1.3.6); null otherwise. Same test as Wireshark's: a well-formed route
 * whose pointer has not passed its end.
 */
export function sourceRouteDestination(options: Uint8Array): number | null {
  let at = 0;
  while (at < options.length) {
    const type = options[at]!;
    if (type === 0) return null;
    if (type === 1) {
      at++;
      continue;
    }
    const length = options[at + 1];
    if (length === undefined || length < 2 || at + length > options.length) return null;
    if (type === LOOSE_SOURCE_ROUTE || type === STRICT_SOURCE_ROUTE) {
      const pointer = options[at + 2]!;
      if (length >= 7 && length % 4 === 3 && pointer >= 4 && pointer <= length) {
        const last = at + length - 4;
        return (
          ((options[last]! << 24) |
            (options[last + 1]! << 16) |
            (options[last + 2]! << 8) |
            options[last + 3]!) >>>
          0
        );
      }
      return null;
    }
    at += length;
  }
  return null;
}

export function optionsField(options: Uint8Array, byteOffset: number, errors: string[]): Field {
  const children: Field[] = [];
  let at = 0;
  while (at < options.length) {
    const type = options[at]!;
    const known = OPTION_NAMES[type];
    const name = known ?? `option ${type}`;
    const start = byteOffset + at;
    const typeField = placedField(
      "type",
      "Option Type",
      known ? "ip.opt.type" : undefined,
      start,
      1,
      type,
      `${name} (${type})`,
    );
    if (type === 0 || type === 1) {
      // RFC 791: these two are a single byte, with no length.
      children.push(
        placedField("option", name, OPTION_WIRESHARK[type], start, 1, type, name, [typeField]),
      );
      at++;
      // End of Options List marks the end; what follows is padding.
      if (type === 0) break;
      continue;
    }
    const length = options[at + 1];
    if (length === undefined || length < 2 || at + length > options.length) {
      errors.push(
        `option ${name} at byte ${start} has length ${length ?? "(missing)"}, which does not fit the ${options.length} option bytes`,
      );
      break;
    }
    const parts = [
      typeField,
      placedField(
        "length",
        "Option Length",
        known ? "ip.opt.len" : undefined,
        start + 1,
        1,
        length,
      ),
    ];
    optionDetails(type, options, at, length, start, parts, errors);
    children.push(
      placedField(
        "option",
        name,
        OPTION_WIRESHARK[type],
        start,
        length,
        type,
        `${name}, ${length} bytes`,
        parts,
      ),
    );
    at += length;
  }
  return placedField(
    "options",
    "Options",
    undefined,
    byteOffset,
    options.length,
    `${options.length} bytes`,
    undefined,
    children,
  );
}

/** The fields inside the options a learner is likely to meet (RFC 791 §3.1, RFC 2113). */
function optionDetails(
  type: number,
  options: Uint8Array,
  at: number,
  length: number,
  start: number,
  parts: Field[],
  errors: string[],
): void {
  if (type === ROUTER_ALERT || type === STREAM_ID) {
    if (length !== 4) return;
    const value = u16(options, at + 2);
    parts.push(
      type === ROUTER_ALERT
        ? placedField("value", "Router Alert", "ip.opt.ra", start + 2, 2, value)
        : placedField("streamId", "Stream ID", "ip.opt.sid", start + 2, 2, value),
    );
    return;
  }
  const isRoute =
    type === RECORD_ROUTE || type === LOOSE_SOURCE_ROUTE || type === STRICT_SOURCE_ROUTE;
  if ((!isRoute && type !== TIMESTAMP) || length < 3) return;
  const pointer = options[at + 2]!;
  parts.push(placedField("pointer", "Pointer", "ip.opt.ptr", start + 2, 1, pointer));
  if (type === TIMESTAMP) {
    timestampEntries(options, at, length, start, parts);
    return;
  }
  // The pointer counts from the option's first byte (1-based) and must sit on an address.
  if (pointer < 4 || (pointer - 4) % 4 !== 0) {
    errors.push(
      `option ${OPTION_NAMES[type]} at byte ${start}: pointer ${pointer} does not point at an address (4, 8, 12, …)`,
    );
    return;
  }
  for (let slot = 3; slot + 4 <= length; slot += 4) {
    let wireshark: string;
    let title: string;
    if (slot + 1 < pointer) [wireshark, title] = ["ip.rec_rt", "Recorded Route"];
    else if (type === RECORD_ROUTE) [wireshark, title] = ["ip.empty_rt", "Empty Route Slot"];
    else if (slot === length - 4) [wireshark, title] = ["ip.dst", "Final Destination"];
    else [wireshark, title] = ["ip.src_rt", "Source Route"];
    parts.push(
      placedField("address", title, wireshark, start + slot, 4, address(options, at + slot)),
    );
  }
}

// RFC 791: overflow (4 bits), flag (4 bits), then timestamps, or address and timestamp pairs.
function timestampEntries(
  options: Uint8Array,
  at: number,
  length: number,
  start: number,
  parts: Field[],
): void {
  if (length < 4) return;
  const byte = options[at + 3]!;
  const flag = byte & 15;
  parts.push(placedField("overflow", "Overflow", "ip.opt.overflow", start + 3, 1, byte >>> 4));
  parts.push(
    placedField("flag", "Flag", "ip.opt.flag", start + 3, 1, flag, `0x${flag.toString(16)}`),
  );
  const withAddresses = flag === 1 || flag === 3;
  const step = withAddresses ? 8 : 4;
  for (let entry = 4; entry + step <= length; entry += step) {
    let time = entry;
    if (withAddresses) {
      parts.push(
        placedField(
          "address",
          "Address",
          "ip.opt.time_stamp_addr",
          start + entry,
          4,
          address(options, at + entry),
        ),
      );
      time += 4;
    }
    const value = ((u16(options, at + time) << 16) | u16(options, at + time + 2)) >>> 0;
    parts.push(placedField("timestamp", "Timestamp", "ip.opt.time_stamp", start + time, 4, value));
  }
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function address(bytes: Uint8Array, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}
