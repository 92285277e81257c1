// The TCP layer of a dissection (RFC 9293 §3.1), with Wireshark's relative sequence numbers
// and calculated window, which need what earlier packets of the conversation said.
import { field, hex16, placedField, spec } from "./field.ts";
import {
  decodeTcpWithAddresses,
  parseTcpOptionList,
  readUint32,
  TCP_FLAG,
  TCP_HEADER_BYTES,
  tcpFlagNames,
  type ParsedTcpOption,
  type TcpDecoded,
} from "./tcp.ts";
import type { TcpConversations, TcpDirection } from "./tcp-conversations.ts";
import { createTcpConversations } from "./tcp-conversations.ts";
import type { ChecksumStatus, Field, Layer } from "./types.ts";

const SOURCE_PORT = spec("sourcePort", "Source Port", "tcp.srcport", 0, 16);
const DESTINATION_PORT = spec("destinationPort", "Destination Port", "tcp.dstport", 16, 16);
const SEQUENCE = spec("sequenceNumber", "Sequence Number", "tcp.seq_raw", 32, 32);
const RELATIVE_SEQUENCE = spec(
  "relativeSequenceNumber",
  "Relative Sequence Number",
  "tcp.seq",
  32,
  32,
);
const ACKNOWLEDGMENT = spec("acknowledgmentNumber", "Acknowledgment Number", "tcp.ack_raw", 64, 32);
const RELATIVE_ACKNOWLEDGMENT = spec(
  "relativeAcknowledgmentNumber",
  "Relative Acknowledgment Number",
  "tcp.ack",
  64,
  32,
);
// RFC 9293 counts the header in 32-bit words; Wireshark's tcp.hdr_len counts bytes.
const DATA_OFFSET = spec("dataOffset", "Data Offset", undefined, 96, 4);
const HEADER_LENGTH = spec("headerLength", "Header Length", "tcp.hdr_len", 96, 4);
const FLAGS = spec("flags", "Flags", "tcp.flags", 100, 12);
const FLAG_BITS = [
  spec("reserved", "Reserved", "tcp.flags.res", 100, 3),
  spec("ae", "Accurate ECN (AE)", "tcp.flags.ae", 103, 1),
  spec("cwr", "Congestion Window Reduced (CWR)", "tcp.flags.cwr", 104, 1),
  spec("ece", "ECN-Echo (ECE)", "tcp.flags.ece", 105, 1),
  spec("urg", "Urgent (URG)", "tcp.flags.urg", 106, 1),
  spec("ack", "Acknowledgment (ACK)", "tcp.flags.ack", 107, 1),
  spec("psh", "Push (PSH)", "tcp.flags.push", 108, 1),
  spec("rst", "Reset (RST)", "tcp.flags.reset", 109, 1),
  spec("syn", "Synchronize (SYN)", "tcp.flags.syn", 110, 1),
  spec("fin", "Finish (FIN)", "tcp.flags.fin", 111, 1),
];
const WINDOW = spec("window", "Window", "tcp.window_size_value", 112, 16);
const CHECKSUM = spec("checksum", "Checksum", "tcp.checksum", 128, 16);
const URGENT_POINTER = spec("urgentPointer", "Urgent Pointer", "tcp.urgent_pointer", 144, 16);

const CHECKSUM_NOTES: Record<ChecksumStatus, string> = {
  valid: " (valid)",
  invalid: " (invalid)",
  unverified: " (unverified)",
  none: " (none)",
};

/** Option kinds Wireshark decodes under names of their own, which we show unnamed. */
const WIRESHARK_OTHER_KINDS = new Set([
  6, 7, 9, 10, 11, 12, 13, 14, 15, 18, 19, 27, 28, 29, 30, 34, 69, 76, 253, 254,
]);

const OPTION_NAMES: Record<number, [name: string, title: string, wireshark: string]> = {
  0: ["eol", "End of Option List", "tcp.options.eol"],
  1: ["nop", "No-Operation", "tcp.options.nop"],
  2: ["mss", "Maximum Segment Size", "tcp.options.mss"],
  3: ["windowScale", "Window Scale", "tcp.options.wscale"],
  4: ["sackPermitted", "SACK Permitted", "tcp.options.sack_perm"],
  5: ["sack", "SACK", "tcp.options.sack"],
  8: ["timestamps", "Timestamps", "tcp.options.timestamp"],
};

export interface TcpDissection {
  layer: Layer;
  decoded: TcpDecoded;
  /** The conversation had already carried this segment's bytes (Wireshark's analysis agrees). */
  retransmission: boolean;
}

export interface TcpEndpoints {
  source: number;
  destination: number;
}

/**
 * Dissects the TCP segment at `offset`; `bytes` is the IP payload. `conversations` remembers
 * earlier segments (a fresh one makes this segment the first of its conversation).
 */
export function dissectTcp(
  bytes: Uint8Array,
  offset: number,
  addresses: TcpEndpoints | null,
  /** Why the segment may be cut short: a first fragment, an ICMP quote, a short capture. */
  partial: "first fragment" | "quoted" | "captured" | undefined,
  conversations: TcpConversations = createTcpConversations(),
): TcpDissection {
  const decoded = decodeTcpWithAddresses(
    bytes,
    addresses?.source ?? null,
    addresses?.destination ?? null,
  );
  const available = bytes.length;
  let errors = decoded.errors;
  const fields: Field[] = [];
  const at = (bit: number, bits: number): boolean => bit + bits <= available * 8;
  if (at(0, 16)) fields.push(field(SOURCE_PORT, offset, u16(bytes, 0)));
  if (at(16, 16)) fields.push(field(DESTINATION_PORT, offset, u16(bytes, 2)));
  let checksum: ChecksumStatus | undefined;
  let summary = "truncated TCP header";
  let retransmission = false;
  if (available >= 13) {
    const dataOffset = bytes[12]! >>> 4;
    const headerLength = dataOffset * 4;
    // A "short segment" to Wireshark: not all of the header is there. It is shown as far as it
    // goes, outside the conversation (its numbers are not relative).
    const short = available < TCP_HEADER_BYTES || headerLength > available;
    const bogus = !short && headerLength < TCP_HEADER_BYTES;
    const tracked = !short && partial === undefined;
    const seq = readUint32(bytes, 4);
    const ack = readUint32(bytes, 8);
    const flags = ((bytes[12]! & 1) << 8) | (bytes[13] ?? 0);
    const reserved = (bytes[12]! >>> 1) & 7;
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    const ackSet = (flags & TCP_FLAG.ACK) !== 0;
    let options: ParsedTcpOption[] = [];
    let optionErrors: string[] = [];
    if (!short && !bogus && headerLength > TCP_HEADER_BYTES) {
      const list = parseTcpOptionList(bytes.subarray(TCP_HEADER_BYTES, headerLength));
      options = list.parsed;
      optionErrors = [...list.errors, ...options.flatMap((o) => (o.error ? [o.error] : []))];
    }
    const { sender, receiver } = tracked
      ? conversations.directions(
          `${addresses?.source ?? "?"}:${u16(bytes, 0)}`,
          `${addresses?.destination ?? "?"}:${u16(bytes, 2)}`,
        )
      : { sender: null, receiver: null };
    if (sender && receiver && !bogus) learn(sender, receiver, seq, flags, ack, options);
    const analysis =
      sender && !bogus
        ? analyse(sender, seq, flags, ack, u16(bytes, 14), available - headerLength)
        : null;
    if (sender && bogus && sender.base === null) sender.base = (seq - 1) >>> 0;
    const relativeSeq = sender?.base != null ? (seq - sender.base) >>> 0 : seq;
    const relativeAck = ackSet && receiver?.base != null ? (ack - receiver.base) >>> 0 : ack;
    const segmentLength = Math.max(0, available - headerLength);
    const sequenceChildren = [field(RELATIVE_SEQUENCE, offset, relativeSeq)];
    if (tracked) {
      sequenceChildren.push(
        placedField("segmentLength", "Segment Length", "tcp.len", offset, 0, segmentLength),
      );
      if (!bogus) {
        // SYN and FIN each take one sequence number (RFC 9293 §3.4); Wireshark counts one.
        const next = (relativeSeq + segmentLength + (syn || flags & TCP_FLAG.FIN ? 1 : 0)) >>> 0;
        sequenceChildren.push(
          placedField("nextSequenceNumber", "Next Sequence Number", "tcp.nxtseq", offset, 0, next),
        );
      }
    }
    fields.push(field(SEQUENCE, offset, seq, `${seq} (relative ${relativeSeq})`, sequenceChildren));
    if (!bogus) {
      fields.push(
        field(
          ACKNOWLEDGMENT,
          offset,
          ack,
          ackSet ? `${ack} (relative ${relativeAck})` : `${ack} (ACK not set: ignored)`,
          [field(RELATIVE_ACKNOWLEDGMENT, offset, relativeAck)],
        ),
      );
    }
    fields.push(
      field(DATA_OFFSET, offset, dataOffset, `${dataOffset} (${headerLength} bytes)`, [
        field(HEADER_LENGTH, offset, headerLength, `${headerLength} bytes`),
      ]),
    );
    if (!bogus) {
      if (at(100, 12)) {
        const bits = ((reserved << 9) | flags) & 0xfff;
        fields.push(
          field(
            FLAGS,
            offset,
            bits,
            `0x${bits.toString(16).padStart(3, "0")} (${tcpFlagNames(flags) || "none"})`,
            [
              field(FLAG_BITS[0]!, offset, reserved, reserved ? "set" : "not set"),
              ...FLAG_BITS.slice(1).map((s, i) => field(s, offset, (flags & (0x100 >> i)) !== 0)),
            ],
          ),
        );
      }
      if (at(112, 16)) fields.push(windowField(offset, u16(bytes, 14), syn, sender, tracked));
      if (at(128, 16)) {
        const value = u16(bytes, 16);
        // The checksum covers the whole segment: a fragment's or a quote's cannot be checked.
        checksum = partial !== undefined ? "unverified" : decoded.checksumStatus;
        fields.push(field(CHECKSUM, offset, value, hex16(value) + CHECKSUM_NOTES[checksum]));
        if (checksum === "invalid")
          errors.push(`TCP checksum ${hex16(value)} does not match the segment`);
      }
      if (at(144, 16)) fields.push(field(URGENT_POINTER, offset, u16(bytes, 18)));
      if (!short && headerLength > TCP_HEADER_BYTES) {
        fields.push(optionsField(bytes, offset, headerLength, options, receiver));
        errors.push(...optionErrors);
      }
    }
    if (partial !== undefined && short) errors = [];
    const names = tcpFlagNames(flags);
    summary =
      `port ${u16(bytes, 0)} → ${u16(bytes, 2)} [${names || "no flags"}] seq ${seq}` +
      (ackSet ? ` ack ${ack}` : "") +
      (available >= 16 ? ` win ${u16(bytes, 14)}` : "") +
      `, ${decoded.payload.length} bytes`;
    if (short && partial === undefined && available >= TCP_HEADER_BYTES) {
      summary += " (header cut short)";
    }
    if (analysis) summary += ` [${analysis}]`;
    retransmission = analysis === "retransmission";
  } else {
    // An ICMP error quotes 8 bytes of the segment (RFC 792): the ports and the sequence number.
    if (available >= 8) {
      const seq = readUint32(bytes, 4);
      fields.push(field(SEQUENCE, offset, seq, `${seq}`, [field(RELATIVE_SEQUENCE, offset, seq)]));
    }
    if (partial !== undefined) errors = [];
  }
  const headerBytes = available >= 13 ? Math.max((bytes[12]! >>> 4) * 4, TCP_HEADER_BYTES) : 0;
  return {
    decoded,
    retransmission,
    layer: {
      protocol: "tcp",
      title: "Transmission Control Protocol",
      byteOffset: offset,
      byteLength: Math.min(headerBytes || available, available),
      fields,
      summary,
      checksum,
      errors,
    },
  };
}

/** Updates what the conversation knows from this segment (Wireshark's rules, 4.0). */
function learn(
  sender: TcpDirection,
  receiver: TcpDirection,
  seq: number,
  flags: number,
  ack: number,
  options: ParsedTcpOption[],
): void {
  const syn = (flags & TCP_FLAG.SYN) !== 0;
  if (syn) {
    sender.base = seq;
    const scale = options.find((o) => o.option.kind === "windowScale")?.option;
    sender.scale = scale?.kind === "windowScale" ? Math.min(scale.shift, 14) : -2;
    // RFC 7323 §1.3: scaling is in use only if both SYNs carry the option, so one SYN without
    // it settles both directions.
    if (sender.scale === -2 || receiver.scale === -2) {
      sender.scale = -2;
      receiver.scale = -2;
    }
  } else if (sender.base === null) {
    // Joined mid-conversation: this segment's first byte counts as relative 1.
    sender.base = (seq - 1) >>> 0;
  }
  if (flags & TCP_FLAG.ACK && receiver.base === null) receiver.base = (ack - 1) >>> 0;
}

/**
 * What Wireshark's TCP analysis would call the segment, for the packet list: a retransmission
 * (data or SYN/FIN this side had sent before) or a duplicate ACK (RFC 5681 §2: no data, same
 * acknowledgment number and window as the previous ACK). Only where the trace shows both.
 */
function analyse(
  sender: TcpDirection,
  seq: number,
  flags: number,
  ack: number,
  window: number,
  length: number,
): string | null {
  const control = flags & (TCP_FLAG.SYN | TCP_FLAG.FIN) ? 1 : 0;
  const end = (seq + length + control) >>> 0;
  let result: string | null = null;
  if (length + control > 0) {
    if (sender.nextSeq !== null && ((end - sender.nextSeq) | 0) <= 0) result = "retransmission";
    if (sender.nextSeq === null || ((end - sender.nextSeq) | 0) > 0) sender.nextSeq = end;
    sender.lastAck = null;
    sender.duplicateAcks = 0;
  } else if (flags & TCP_FLAG.ACK && !(flags & TCP_FLAG.RST)) {
    if (sender.lastAck === ack && sender.lastWindow === window) {
      sender.duplicateAcks++;
      result = `duplicate ACK #${sender.duplicateAcks}`;
    } else {
      sender.duplicateAcks = 0;
    }
    sender.lastAck = ack;
    sender.lastWindow = window;
  }
  return result;
}

function windowField(
  offset: number,
  window: number,
  syn: boolean,
  sender: TcpDirection | null,
  tracked: boolean,
): Field {
  // RFC 7323 §2.2: the window of a SYN is never scaled. Outside a conversation it is unknown.
  const scale = syn ? null : tracked && sender ? sender.scale : -1;
  const calculated = scale !== null && scale >= 0 ? window * 2 ** scale : window;
  const children: Field[] = [
    placedField(
      "calculatedWindow",
      "Calculated Window",
      "tcp.window_size",
      offset + 14,
      2,
      calculated,
    ),
  ];
  if (scale !== null) {
    const factor = scale >= 0 ? 2 ** scale : scale;
    const display =
      scale === -1
        ? "-1 (unknown: the SYNs were not seen)"
        : scale === -2
          ? "-2 (no window scaling)"
          : `${factor}`;
    children.push(
      placedField(
        "windowScaleFactor",
        "Window Scale Factor",
        "tcp.window_size_scalefactor",
        offset + 14,
        2,
        factor,
        display,
      ),
    );
  }
  return field(
    WINDOW,
    offset,
    window,
    calculated === window
      ? `${window}`
      : `${window} (× ${calculated / window} = ${calculated} bytes)`,
    children,
  );
}

function optionsField(
  bytes: Uint8Array,
  offset: number,
  headerLength: number,
  options: ParsedTcpOption[],
  receiver: TcpDirection | null,
): Field {
  const start = offset + TCP_HEADER_BYTES;
  const children = options.map((parsed) => optionField(bytes, start, parsed, receiver));
  return placedField(
    "options",
    "Options",
    "tcp.options",
    start,
    headerLength - TCP_HEADER_BYTES,
    `${headerLength - TCP_HEADER_BYTES} bytes`,
    options
      .map((o) => OPTION_NAMES[kindOf(o, bytes)]?.[1] ?? `kind ${kindOf(o, bytes)}`)
      .join(", "),
    children,
  );
}

function kindOf(parsed: ParsedTcpOption, bytes: Uint8Array): number {
  return bytes[TCP_HEADER_BYTES + parsed.offset]!;
}

function optionField(
  bytes: Uint8Array,
  start: number,
  parsed: ParsedTcpOption,
  receiver: TcpDirection | null,
): Field {
  const at = start + parsed.offset;
  const kind = bytes[TCP_HEADER_BYTES + parsed.offset]!;
  const known = OPTION_NAMES[kind];
  const children: Field[] = [placedField("kind", "Kind", "tcp.option_kind", at, 1, kind)];
  if (parsed.length > 1)
    children.push(placedField("length", "Length", "tcp.option_len", at + 1, 1, parsed.length));
  const option = parsed.option;
  let display = known?.[1] ?? `unknown kind ${kind}`;
  switch (option.kind) {
    case "mss":
      children.push(
        placedField("mss", "MSS Value", "tcp.options.mss_val", at + 2, 2, option.value),
      );
      display = `MSS ${option.value} bytes`;
      break;
    case "windowScale": {
      children.push(
        placedField("shift", "Shift Count", "tcp.options.wscale.shift", at + 2, 1, option.shift),
      );
      const multiplier = 2 ** Math.min(option.shift, 14);
      children.push(
        placedField(
          "multiplier",
          "Multiplier",
          "tcp.options.wscale.multiplier",
          at + 2,
          1,
          multiplier,
        ),
      );
      display = `window scale ${option.shift} (multiply by ${multiplier})`;
      break;
    }
    case "sack": {
      // SACK edges acknowledge the other direction's bytes, so they are relative to its ISN.
      const base = receiver?.base ?? 0;
      option.blocks.forEach(([left, right], i) => {
        children.push(
          placedField(
            "leftEdge",
            "Left Edge",
            "tcp.options.sack_le",
            at + 2 + 8 * i,
            4,
            (left - base) >>> 0,
            `${left} (relative ${(left - base) >>> 0})`,
          ),
          placedField(
            "rightEdge",
            "Right Edge",
            "tcp.options.sack_re",
            at + 6 + 8 * i,
            4,
            (right - base) >>> 0,
            `${right} (relative ${(right - base) >>> 0})`,
          ),
        );
      });
      children.push(
        placedField(
          "blockCount",
          "SACK Blocks",
          "tcp.options.sack.count",
          at,
          0,
          option.blocks.length,
        ),
      );
      display = `SACK ${option.blocks.map(([l, r]) => `${l}–${r}`).join(", ")}`;
      break;
    }
    case "timestamps":
      children.push(
        placedField(
          "value",
          "Timestamp Value",
          "tcp.options.timestamp.tsval",
          at + 2,
          4,
          option.value,
        ),
        placedField(
          "echoReply",
          "Timestamp Echo Reply",
          "tcp.options.timestamp.tsecr",
          at + 6,
          4,
          option.echoReply,
        ),
      );
      display = `timestamps ${option.value}, echo ${option.echoReply}`;
      break;
    case "unknown":
      if (!known && !WIRESHARK_OTHER_KINDS.has(kind) && parsed.length > 2) {
        children.push(
          placedField(
            "data",
            "Data",
            "tcp.options.unknown.payload",
            at + 2,
            parsed.length - 2,
            hexText(bytes, at + 2 - start + TCP_HEADER_BYTES, parsed.length - 2),
          ),
        );
      }
      if (parsed.error) display += ` (${parsed.error})`;
      break;
  }
  const wireshark = known
    ? known[2]
    : WIRESHARK_OTHER_KINDS.has(kind)
      ? undefined
      : "tcp.options.unknown";
  return placedField(
    known?.[0] ?? "option",
    known?.[1] ?? `Option ${kind}`,
    wireshark,
    at,
    parsed.length,
    kind,
    display,
    children,
  );
}

function hexText(bytes: Uint8Array, at: number, length: number): string {
  let text = "";
  for (let i = at; i < at + length; i++) text += bytes[i]!.toString(16).padStart(2, "0");
  return text;
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}
