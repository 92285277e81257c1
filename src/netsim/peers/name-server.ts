// The name server on UDP 53. It speaks two protocols on the same port:
// - the lesson's simple one (request = the name in ASCII, answer = 4 address bytes, unknown
//   names answered with an empty payload, see protocols/name-lookup.ts), chosen when every
//   byte of the request is printable text;
// - real DNS (RFC 1035) otherwise, answering A, AAAA, CNAME and TXT questions from the
//   topology's records with the Authoritative Answer flag, following CNAME chains. When the
//   records share a zone (packetlab.test), its apex has SOA and NS records, negative answers
//   carry the SOA (RFC 2308) and names with only names below them exist (RFC 8020; zone.ts).
//   A query with EDNS gets an OPT record back (RFC 6891).
// Malformed DNS: FORMERR (echoing the ID) when the 12-byte header is there; shorter messages
// and responses (QR set) are ignored, as real servers do, so nobody is answered with garbage.
import {
  decodeDns,
  DNS_CLASS,
  DNS_OPCODE,
  DNS_RCODE,
  DNS_TYPE,
  encodeDns,
  type DnsQuestion,
  type DnsRdata,
  type DnsRecord,
} from "../../protocols/dns.ts";
import {
  decodeNameRequest,
  encodeNameAnswer,
  encodeUnknownNameAnswer,
} from "../../protocols/name-lookup.ts";
import type { DnsRecordSpec, ReceivedDatagram } from "../types.ts";
import { formatSocketAddress, payloadText, type Peer, type PeerContext } from "./peer.ts";
import { createZone, zoneOf } from "./zone.ts";

const DEFAULT_RECORD_TTL = 300;
const MAX_CNAME_CHAIN = 8;
const TYPE_ANY = 255;
const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(DNS_TYPE).map(([name, value]) => [value, name]),
);
const RCODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(DNS_RCODE).map(([name, value]) => [value, name]),
);

export interface NameServerQuery {
  atUs: number;
  from: string;
  protocol: "simple" | "dns";
  /** The name as asked (null when the request was not a readable name). */
  name: string | null;
  /** "A", "AAAA", … or the type number for types without a name. */
  type: string;
  /** Answer values (addresses, CNAME targets, TXT text); empty when there was none. */
  answer: string[];
  /** DNS only: NOERROR, NXDOMAIN, FORMERR, …; "ignored" when nothing was sent back. */
  rcode?: string;
}

interface Resolution {
  rcode: number;
  answers: DnsRecord[];
}

export function normaliseName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

export function createNameServer(context: PeerContext, port: number, specs: DnsRecordSpec[]): Peer {
  const byName = new Map<string, DnsRecordSpec[]>();
  for (const record of specs) {
    const key = normaliseName(record.name);
    byName.set(key, [...(byName.get(key) ?? []), record]);
  }
  const queries: NameServerQuery[] = [];
  const apex = zoneOf([...byName.keys()]);
  const zone = apex === undefined ? undefined : createZone(apex);
  /** RFC 8020: a name with names below it exists, even with no records of its own. */
  const hasDescendants = (key: string) =>
    key === zone?.apex || [...byName.keys()].some((other) => other.endsWith(`.${key}`));

  const resolve = (name: string, type: number): Resolution => {
    const answers: DnsRecord[] = [];
    let owner = name;
    for (let step = 0; step <= MAX_CNAME_CHAIN; step++) {
      const key = normaliseName(owner);
      const records = byName.get(key) ?? [];
      const apexRecords = key === zone?.apex ? zone.apexRecords : [];
      if (records.length === 0 && !hasDescendants(key))
        return { rcode: DNS_RCODE.NXDOMAIN, answers };
      const matching = records.filter((r) => type === TYPE_ANY || DNS_TYPE[r.type] === type);
      const alias = records.find((r) => r.type === "CNAME");
      if (matching.length > 0 || !alias) {
        answers.push(...matching.map((r) => toRecord(owner, r)));
        for (const record of apexRecords)
          if (type === TYPE_ANY || record.type === type) answers.push({ ...record, name: owner });
        return { rcode: DNS_RCODE.NOERROR, answers };
      }
      // RFC 1034 §3.6.2: answer with the CNAME, then restart the lookup at its target.
      answers.push(toRecord(owner, alias));
      owner = alias.value;
    }
    return { rcode: DNS_RCODE.SERVFAIL, answers };
  };

  const answerSimple = (datagram: ReceivedDatagram): void => {
    const name = decodeNameRequest(trimText(datagram.payload));
    const addresses =
      name === null ? [] : resolve(name, DNS_TYPE.A).answers.filter((r) => r.data.kind === "A");
    const first = addresses[0]?.data;
    const address = first?.kind === "A" ? first.address : null;
    queries.push({
      atUs: context.now(),
      from: formatSocketAddress(datagram.from),
      protocol: "simple",
      name: name ?? payloadText(datagram.payload),
      type: "A",
      answer: address === null ? [] : [address],
    });
    context.send(
      address === null ? encodeUnknownNameAnswer() : encodeNameAnswer(address),
      datagram.from,
    );
  };

  const answerDns = (datagram: ReceivedDatagram): void => {
    const payload = datagram.payload;
    const { message, errors } = decodeDns(payload);
    const record = (
      question: DnsQuestion | undefined,
      rcode: number | null,
      answer: string[],
    ): void => {
      queries.push({
        atUs: context.now(),
        from: formatSocketAddress(datagram.from),
        protocol: "dns",
        name: question?.name ?? null,
        type: question ? (TYPE_NAMES[question.type] ?? String(question.type)) : "",
        answer,
        rcode:
          rcode === null
            ? "ignored"
            : rcode === BADVERS
              ? "BADVERS"
              : (RCODE_NAMES[rcode] ?? String(rcode)),
      });
    };
    if (!message || message.flags.qr) {
      record(message?.questions[0], null, []);
      return;
    }
    const question = message.questions[0];
    const edns = readEdns(message.additionals);
    let rcode: number;
    let answers: DnsRecord[] = [];
    if (errors.length > 0 || message.questions.length !== 1 || !question || edns === "malformed")
      rcode = DNS_RCODE.FORMERR;
    else if (edns && edns.version > 0) rcode = BADVERS;
    else if (message.flags.opcode !== DNS_OPCODE.QUERY) rcode = DNS_RCODE.NOTIMP;
    else if (question.class !== DNS_CLASS.IN && question.class !== DNS_CLASS.ANY)
      rcode = DNS_RCODE.REFUSED;
    else ({ rcode, answers } = resolve(question.name, question.type));
    record(question, rcode, answers.map(describeRdata));
    const response = encodeDns({
      id: message.id,
      flags: {
        qr: true,
        opcode: message.flags.opcode,
        aa: rcode === DNS_RCODE.NOERROR || rcode === DNS_RCODE.NXDOMAIN,
        tc: false,
        rd: message.flags.rd,
        ra: false,
        z: 0,
        // RFC 6891 §6.1.3: the header holds the low 4 bits of the rcode, the OPT the rest.
        rcode: rcode & 0xf,
      },
      questions: rcode === DNS_RCODE.FORMERR || !question ? [] : [question],
      answers,
      // RFC 2308 §3: a negative answer (NXDOMAIN, or NOERROR without the data asked for) from
      // inside the zone carries its SOA, by which a resolver caches the negative answer.
      authorities:
        zone &&
        question &&
        zone.contains(normaliseName(finalOwner(question.name, answers))) &&
        (rcode === DNS_RCODE.NXDOMAIN ||
          (rcode === DNS_RCODE.NOERROR &&
            !answers.some((r) => r.type === question.type || question.type === TYPE_ANY)))
          ? [zone.negativeSoa]
          : [],
      // RFC 6891 §6.1.1: a query with an OPT gets one back (even FORMERR, when it was readable).
      additionals: edns && edns !== "malformed" ? [optRecord(rcode, edns.dnssecOk)] : [],
    });
    context.send(response, datagram.from);
  };

  context.listen(port, (datagram) => {
    if (isText(datagram.payload)) answerSimple(datagram);
    else answerDns(datagram);
  });

  return {
    state: () => ({
      kind: "name-server",
      port,
      queries: queries.map((q) => ({ ...q, answer: [...q.answer] })),
    }),
  };
}

// RFC 6891 §6.1.3: BADVERS, extended rcode 16 (1 in the OPT's upper rcode bits).
const BADVERS = 16;
/** The UDP payload the name server says it can receive (RFC 6891 §6.2.5; DNS Flag Day 2020). */
const EDNS_UDP_PAYLOAD = 1232;

interface Edns {
  version: number;
  /** RFC 3225 §3: the DO bit, copied into the response. */
  dnssecOk: boolean;
}

/**
 * The query's EDNS (RFC 6891 §6.1.1): undefined without an OPT record, "malformed" for more than
 * one or one whose owner is not the root (FORMERR).
 */
function readEdns(additionals: readonly DnsRecord[]): Edns | "malformed" | undefined {
  const opts = additionals.filter((record) => record.type === DNS_TYPE.OPT);
  if (opts.length === 0) return undefined;
  const opt = opts[0]!;
  if (opts.length > 1 || opt.name !== "") return "malformed";
  // RFC 6891 §6.1.3: TTL = extended rcode (8 bits), version (8), DO (1), Z (15).
  return { version: (opt.ttl >>> 16) & 0xff, dnssecOk: (opt.ttl & 0x8000) !== 0 };
}

function optRecord(rcode: number, dnssecOk: boolean): DnsRecord {
  return {
    name: "",
    type: DNS_TYPE.OPT,
    class: EDNS_UDP_PAYLOAD,
    ttl: ((((rcode >> 4) & 0xff) << 24) | (dnssecOk ? 0x8000 : 0)) >>> 0,
    data: { kind: "raw", bytes: new Uint8Array(0) },
  };
}

/** Where a CNAME chain in the answers ends: the name whose data was (not) found. */
function finalOwner(asked: string, answers: readonly DnsRecord[]): string {
  let owner = asked;
  for (const record of answers)
    if (record.data.kind === "CNAME" && normaliseName(record.name) === normaliseName(owner))
      owner = record.data.name;
  return owner;
}

function toRecord(owner: string, spec: DnsRecordSpec): DnsRecord {
  return {
    name: owner,
    type: DNS_TYPE[spec.type],
    class: DNS_CLASS.IN,
    ttl: spec.ttl ?? DEFAULT_RECORD_TTL,
    data: toRdata(spec),
  };
}

function toRdata(spec: DnsRecordSpec): DnsRdata {
  switch (spec.type) {
    case "A":
    case "AAAA":
      return { kind: spec.type, address: spec.value };
    case "CNAME":
      return { kind: "CNAME", name: spec.value };
    case "TXT":
      return { kind: "TXT", strings: [spec.value] };
  }
}

function describeRdata(record: DnsRecord): string {
  const data = record.data;
  switch (data.kind) {
    case "A":
    case "AAAA":
      return data.address;
    case "CNAME":
    case "NS":
    case "PTR":
      return data.name;
    case "TXT":
      return data.strings.join("");
    case "raw":
      return "";
  }
}

/** Printable ASCII, tabs and line ends: a DNS header's counts always contain other bytes. */
function isText(payload: Uint8Array): boolean {
  if (payload.length === 0) return false;
  for (const byte of payload) {
    if ((byte < 0x20 || byte > 0x7e) && byte !== 9 && byte !== 10 && byte !== 13) return false;
  }
  return true;
}

/** A learner may end the name with a newline (as `echo` does); the name itself is what counts. */
function trimText(payload: Uint8Array): Uint8Array {
  let start = 0;
  let end = payload.length;
  const space = (b: number | undefined): boolean => b === 32 || b === 9 || b === 10 || b === 13;
  while (start < end && space(payload[start])) start++;
  while (end > start && space(payload[end - 1])) end--;
  return payload.subarray(start, end);
}
