// The DNS layer of a dissection (RFC 1035 §4.1; AD/CD flag bits from RFC 4035 §3.2).
import { field, type FieldSpec, hex16, placedField, spec } from "./field.ts";
import {
  decodeDnsWithLayout,
  type DnsMessage,
  type DnsRdata,
  type DnsRecord,
  type DnsSection,
} from "./dns.ts";
import { wiresharkNameText } from "./dns-name.ts";
import { DNS_OPT, optHeaderFields, rdataDetails } from "./dissect-dns-rdata.ts";
import type { Field, Layer } from "./types.ts";

const ID = spec("id", "Transaction ID", "dns.id", 0, 16);
const FLAGS = spec("flags", "Flags", "dns.flags", 16, 16);
const QR = spec("qr", "Response", "dns.flags.response", 16, 1);
const OPCODE = spec("opcode", "Opcode", "dns.flags.opcode", 17, 4);
const AA = spec("aa", "Authoritative Answer", "dns.flags.authoritative", 21, 1);
const TC = spec("tc", "Truncated", "dns.flags.truncated", 22, 1);
const RD = spec("rd", "Recursion Desired", "dns.flags.recdesired", 23, 1);
const RA = spec("ra", "Recursion Available", "dns.flags.recavail", 24, 1);
const Z = spec("z", "Z (reserved)", "dns.flags.z", 25, 1);
const AD = spec("ad", "Authenticated Data", "dns.flags.authenticated", 26, 1);
const CD = spec("cd", "Checking Disabled", "dns.flags.checkdisable", 27, 1);
const RCODE = spec("rcode", "Response Code", "dns.flags.rcode", 28, 4);
const QDCOUNT = spec("qdcount", "Questions", "dns.count.queries", 32, 16);
const ANCOUNT = spec("ancount", "Answer RRs", "dns.count.answers", 48, 16);
const NSCOUNT = spec("nscount", "Authority RRs", "dns.count.auth_rr", 64, 16);
const ARCOUNT = spec("arcount", "Additional RRs", "dns.count.add_rr", 80, 16);

export const DNS_TYPE_NAMES: Record<number, string> = {
  1: "A",
  2: "NS",
  5: "CNAME",
  6: "SOA",
  12: "PTR",
  15: "MX",
  16: "TXT",
  28: "AAAA",
  33: "SRV",
  41: "OPT",
  255: "ANY",
};
const CLASS_NAMES: Record<number, string> = { 1: "IN", 3: "CH", 4: "HS", 255: "ANY" };
const OPCODE_NAMES: Record<number, string> = {
  0: "Standard query",
  1: "Inverse query",
  2: "Server status request",
  4: "Notify",
  5: "Update",
};
const RCODE_NAMES: Record<number, string> = {
  0: "No error",
  1: "Format error",
  2: "Server failure",
  3: "No such name",
  4: "Not implemented",
  5: "Refused",
};

const SECTIONS: { section: DnsSection; name: string; title: string; prefix: string }[] = [
  { section: "answers", name: "answers", title: "Answers", prefix: "dns.resp" },
  {
    section: "authorities",
    name: "authorities",
    title: "Authoritative nameservers",
    prefix: "dns.resp",
  },
  { section: "additionals", name: "additionals", title: "Additional records", prefix: "dns.resp" },
];

// Module level rather than a closure per call: tsx (esbuild keepNames) names every closure with
// a defineProperty call, which is slow.
function yes(value: boolean): string {
  return value ? "Set" : "Not set";
}

type DnsDecodedWithLayout = ReturnType<typeof decodeDnsWithLayout>;

/** The payload decoded as DNS if it looks like DNS (it decodes without any error), else null. */
export function decodedIfDns(payload: Uint8Array): DnsDecodedWithLayout | null {
  if (payload.length < 12 || !countsFit(payload)) return null;
  const decoded = decodeDnsWithLayout(payload);
  return decoded.errors.length === 0 ? decoded : null;
}

/**
 * Whether the header's section counts fit in the payload at all. A question takes at least 5
 * bytes (a 1-byte root name, type, class), a record at least 11 (root name, type, class, TTL,
 * data length), and the decoder reports an error as soon as one runs past the end, so when the
 * counts need more bytes than there are, the decode cannot succeed. This rejects the lesson's
 * name requests on port 53 (ASCII text read as counts asks for thousands of records) without
 * decoding them, which used to take most of their dissection time.
 */
function countsFit(payload: Uint8Array): boolean {
  const questions = (payload[4]! << 8) | payload[5]!;
  const records =
    ((payload[6]! << 8) | payload[7]!) +
    ((payload[8]! << 8) | payload[9]!) +
    ((payload[10]! << 8) | payload[11]!);
  return 12 + 5 * questions + 11 * records <= payload.length;
}

/** `decoded` is the payload already decoded (by decodedIfDns), to spare decoding it twice. */
export function dissectDns(
  bytes: Uint8Array,
  offset: number,
  decoded: DnsDecodedWithLayout = decodeDnsWithLayout(bytes),
): Layer {
  const { message, errors, layout } = decoded;
  const fields: Field[] = [];
  const layer: Layer = {
    protocol: "dns",
    title: "Domain Name System",
    byteOffset: offset,
    byteLength: bytes.length,
    fields,
    summary: message ? dnsSummary(message) : "truncated DNS message",
    errors,
  };
  if (!message) {
    partialHeader(bytes, offset, fields);
    return layer;
  }
  fields.push(field(ID, offset, message.id, hex16(message.id)));
  fields.push(flagsField((bytes[2]! << 8) | bytes[3]!, offset));
  fields.push(field(QDCOUNT, offset, layout.counts.questions));
  fields.push(field(ANCOUNT, offset, layout.counts.answers));
  fields.push(field(NSCOUNT, offset, layout.counts.authorities));
  fields.push(field(ARCOUNT, offset, layout.counts.additionals));
  if (message.questions.length > 0) {
    const questions = message.questions.map((question, i) => {
      const place = layout.questions[i]!;
      const at = offset + place.start;
      const nameEnd = offset + place.nameEnd;
      const typeName = DNS_TYPE_NAMES[question.type] ?? String(question.type);
      return placedField(
        "question",
        "Question",
        undefined,
        at,
        place.end - place.start,
        question.name,
        `${question.name}: type ${typeName}, class ${CLASS_NAMES[question.class] ?? question.class}`,
        [
          placedField(
            "name",
            "Name",
            "dns.qry.name",
            at,
            nameEnd - at,
            nameValue(question.name, bytes, at - offset),
            nameDisplay(question.name),
          ),
          placedField(
            "type",
            "Type",
            "dns.qry.type",
            nameEnd,
            2,
            question.type,
            `${typeName} (${question.type})`,
          ),
          placedField(
            "class",
            "Class",
            "dns.qry.class",
            nameEnd + 2,
            2,
            question.class,
            classDisplay(question.class),
          ),
        ],
      );
    });
    const first = layout.questions[0]!.start;
    const last = layout.questions[layout.questions.length - 1]!.end;
    fields.push(
      placedField(
        "questions",
        "Queries",
        undefined,
        offset + first,
        last - first,
        questions.length,
        undefined,
        questions,
      ),
    );
  }
  let recordIndex = 0;
  for (const { section, name, title, prefix } of SECTIONS) {
    const records = message[section];
    if (records.length === 0) continue;
    const places = layout.records.slice(recordIndex, recordIndex + records.length);
    recordIndex += records.length;
    const children = records.map((record, i) =>
      recordField(bytes, record, places[i]!, offset, prefix),
    );
    const first = places[0]!.start;
    const last = places[places.length - 1]!.end;
    fields.push(
      placedField(
        name,
        title,
        undefined,
        offset + first,
        last - first,
        records.length,
        undefined,
        children,
      ),
    );
  }
  return layer;
}

function recordField(
  bytes: Uint8Array,
  record: DnsRecord,
  place: { start: number; nameEnd: number; rdataStart: number; end: number },
  offset: number,
  prefix: string,
): Field {
  const at = offset + place.start;
  const nameEnd = offset + place.nameEnd;
  const rdataStart = offset + place.rdataStart;
  const typeName = DNS_TYPE_NAMES[record.type] ?? String(record.type);
  const rdata = rdataField(
    record,
    rdataStart,
    place.end - place.rdataStart,
    bytes,
    offset,
    place.rdataStart,
  );
  const isOpt = record.type === DNS_OPT;
  return placedField(
    "record",
    "Resource Record",
    undefined,
    at,
    place.end - place.start,
    record.name,
    `${record.name}: type ${typeName}, ${rdata.display ?? rdata.value}`,
    [
      placedField(
        "name",
        "Name",
        `${prefix}.name`,
        at,
        nameEnd - at,
        nameValue(record.name, bytes, place.start),
        nameDisplay(record.name),
      ),
      placedField(
        "type",
        "Type",
        `${prefix}.type`,
        nameEnd,
        2,
        record.type,
        `${typeName} (${record.type})`,
      ),
      ...(isOpt
        ? optHeaderFields(record.class, record.ttl, nameEnd + 2)
        : [
            placedField(
              "class",
              "Class",
              `${prefix}.class`,
              nameEnd + 2,
              2,
              record.class,
              classDisplay(record.class),
            ),
            placedField(
              "ttl",
              "Time to Live",
              `${prefix}.ttl`,
              nameEnd + 4,
              4,
              record.ttl,
              `${record.ttl} seconds`,
            ),
          ]),
      placedField(
        "rdlength",
        "Data Length",
        `${prefix}.len`,
        nameEnd + 8,
        2,
        place.end - place.rdataStart,
      ),
      rdata,
    ],
  );
}

function rdataField(
  record: DnsRecord,
  at: number,
  length: number,
  bytes: Uint8Array,
  offset: number,
  start: number,
): Field {
  const data: DnsRdata = record.data;
  switch (data.kind) {
    case "A":
      return placedField("address", "Address", "dns.a", at, length, data.address);
    case "AAAA":
      return placedField("address", "AAAA Address", "dns.aaaa", at, length, data.address);
    case "CNAME":
      return placedField(
        "cname",
        "Canonical Name",
        "dns.cname",
        at,
        length,
        nameValue(data.name, bytes, start),
        nameDisplay(data.name),
      );
    case "NS":
      return placedField(
        "nsdname",
        "Name Server",
        "dns.ns",
        at,
        length,
        nameValue(data.name, bytes, start),
        nameDisplay(data.name),
      );
    case "PTR":
      return placedField(
        "ptrdname",
        "Domain Name",
        "dns.ptr.domain_name",
        at,
        length,
        nameValue(data.name, bytes, start),
        nameDisplay(data.name),
      );
    case "TXT":
      return placedField(
        "txt",
        "Text",
        undefined,
        at,
        length,
        data.strings.join(""),
        data.strings.map((s) => JSON.stringify(s)).join(" "),
        txtStrings(data.strings, bytes, at - offset, offset),
      );
    case "raw": {
      let hex = "";
      for (const b of data.bytes) hex += b.toString(16).padStart(2, "0");
      const details = rdataDetails(bytes, record.type, start, length, offset);
      // Wireshark's dns.data is the data of a type it has no decoder for.
      const unknown = DNS_TYPE_NAMES[record.type] === undefined;
      return placedField(
        "rdata",
        "Data",
        unknown ? "dns.data" : undefined,
        at,
        length,
        hex,
        `${length} bytes`,
        details ?? undefined,
      );
    }
  }
}

/** A name's value as Wireshark shows it; re-read from the message only when it has escapes. */
function nameValue(name: string, bytes: Uint8Array, start: number): string {
  if (name === "") return "<Root>";
  return name.includes("\\") ? wiresharkNameText(bytes, start) : name;
}

function flagsField(flags: number, offset: number): Field {
  const qr = (flags & 0x8000) !== 0;
  const opcode = (flags >>> 11) & 15;
  const rcode = flags & 15;
  return field(
    FLAGS,
    offset,
    flags,
    `${hex16(flags)} ${OPCODE_NAMES[opcode] ?? "Opcode " + opcode}${qr ? " response" : ""}`,
    [
      field(QR, offset, qr, qr ? "Message is a response" : "Message is a query"),
      field(OPCODE, offset, opcode, `${OPCODE_NAMES[opcode] ?? "unknown"} (${opcode})`),
      bit(AA, flags, 0x400, offset),
      bit(TC, flags, 0x200, offset),
      bit(RD, flags, 0x100, offset),
      bit(RA, flags, 0x80, offset),
      bit(Z, flags, 0x40, offset),
      bit(AD, flags, 0x20, offset),
      bit(CD, flags, 0x10, offset),
      field(RCODE, offset, rcode, `${RCODE_NAMES[rcode] ?? "unknown"} (${rcode})`),
    ],
  );
}

function bit(s: FieldSpec, flags: number, mask: number, offset: number): Field {
  const set = (flags & mask) !== 0;
  return field(s, offset, set, yes(set));
}

/** What a message shorter than its 12-byte header still shows: the fields that are there. */
function partialHeader(bytes: Uint8Array, offset: number, fields: Field[]): void {
  const u16 = (at: number) => readU16(bytes, at);
  if (bytes.length >= 2) fields.push(field(ID, offset, u16(0), hex16(u16(0))));
  if (bytes.length >= 4) fields.push(flagsField(u16(2), offset));
  const counts = [QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT];
  counts.forEach((count, i) => {
    if (bytes.length >= 6 + 2 * i) fields.push(field(count, offset, u16(4 + 2 * i)));
  });
}

function nameDisplay(name: string): string {
  return name === "" ? "<Root>" : name;
}

function classDisplay(value: number): string {
  return `${CLASS_NAMES[value] ?? "unknown"} (0x${value.toString(16).padStart(4, "0")})`;
}

/** Wireshark-like info line: "Standard query response 0xbeef A alice.example A 10.0.0.100". */
export function dnsSummary(message: DnsMessage): string {
  const { qr, opcode, rcode } = message.flags;
  const parts = [
    `${OPCODE_NAMES[opcode] ?? `Opcode ${opcode}`}${qr ? " response" : ""} ${hex16(message.id)}`,
  ];
  if (qr && rcode !== 0) parts.push(RCODE_NAMES[rcode] ?? `rcode ${rcode}`);
  for (const question of message.questions) {
    parts.push(`${DNS_TYPE_NAMES[question.type] ?? question.type} ${nameDisplay(question.name)}`);
  }
  for (const record of message.answers) {
    const type = DNS_TYPE_NAMES[record.type] ?? String(record.type);
    const data = record.data;
    const value =
      data.kind === "A" || data.kind === "AAAA"
        ? data.address
        : data.kind === "TXT"
          ? data.strings.join("")
          : data.kind === "raw"
            ? ""
            : data.name;
    parts.push(`${type} ${value}`.trim());
  }
  return parts.join(" ");
}

// RFC 1035 §3.3.14: TXT data is one or more <character-string>s, each a length byte and text.
// `start` is relative to the DNS message in `bytes`, which sits at `offset` in the packet.
function txtStrings(strings: string[], bytes: Uint8Array, start: number, offset: number): Field[] {
  const fields: Field[] = [];
  let at = start;
  for (const text of strings) {
    const size = bytes[at] ?? 0;
    fields.push(placedField("length", "Text Length", "dns.txt.length", offset + at, 1, size));
    fields.push(
      placedField("text", "Text", "dns.txt", offset + at + 1, size, text, JSON.stringify(text)),
    );
    at += 1 + size;
  }
  return fields;
}

function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}
