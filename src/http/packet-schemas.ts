// The packet as the API sends it (HTTP submission results, traces, the stream's `packet`
// message): src/netsim/types.ts PacketEvent with src/protocols/types.ts Layer and Field. The
// sameType<> lines stop `tsc` when these schemas and those types part; the example is a real
// dissection, made by the real dissector when this module loads.
import { Type, type Static } from "typebox";
import type { DropReason as DomainDropReason, PacketEvent } from "../netsim/types.ts";
import { dissectPacket } from "../protocols/dissect.ts";
import { fromHex } from "../protocols/hex.ts";
import type {
  ChecksumStatus as DomainChecksumStatus,
  Field as DomainField,
  Layer as DomainLayer,
} from "../protocols/types.ts";
import { ref, sameType, stringEnum } from "./schema-kit.ts";

// The learner's first message to Alice, as the lesson's network carries it.
const exampleHex =
  "4500003000000000401166870a0000020a000035c0000035001c0ba1616c6963652e7061636b65746c61622e74657374";
const exampleDissection = dissectPacket(fromHex(exampleHex));
const exampleLayer = exampleDissection.layers[1]!;

/** Add a protocol here (and to Layer["protocol"] in src/protocols/types.ts) to extend the enum. */
const LAYER_PROTOCOLS = ["ipv4", "udp", "tcp", "icmp", "dns", "name-lookup", "payload"] as const;
sameType<(typeof LAYER_PROTOCOLS)[number], DomainLayer["protocol"]>();

export const LayerProtocol = stringEnum(LAYER_PROTOCOLS, {
  $id: "LayerProtocol",
  description:
    "What a layer decodes: ipv4, udp, tcp, icmp, dns, name-lookup (the lesson's text protocol on port 53) or payload (bytes no protocol claims).",
});

const CHECKSUM_STATUSES = ["valid", "invalid", "none", "unverified"] as const;
sameType<(typeof CHECKSUM_STATUSES)[number], DomainChecksumStatus>();

export const ChecksumStatus = stringEnum(CHECKSUM_STATUSES, {
  $id: "ChecksumStatus",
  description:
    "valid or invalid; none when the sender left it out (UDP checksum 0); unverified when the bytes to check it are not all there.",
});

export const Field = Type.Object(
  {
    name: Type.String({ description: "RFC name in camelCase: version, ihl, ttl, sourcePort…" }),
    title: Type.String({ description: 'The RFC\'s title: "Time to Live", "Source Port".' }),
    value: Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
      description: "Numbers for numeric fields, dotted quads for addresses, text for names.",
    }),
    display: Type.Optional(Type.String({ description: 'Human rendering: "0x1c46", "UDP (17)".' })),
    bitOffset: Type.Integer({
      minimum: 0,
      description: "Bits from the first byte of the whole packet (not of the layer).",
    }),
    bitLength: Type.Integer({ minimum: 0 }),
    wireshark: Type.Optional(
      Type.String({
        description: "Wireshark's display-filter name of the field: ip.ttl, udp.srcport.",
      }),
    ),
    children: Type.Optional(
      Type.Array(Type.Unsafe<DomainField>(Type.Ref("Field")), {
        description: "Sub-fields: the bits of IPv4 flags, DNS flags, the records of a DNS section.",
      }),
    ),
  },
  {
    $id: "Field",
    description: "One header field, placed by bit so a viewer can highlight its bytes.",
    examples: [exampleLayer.fields[0]],
  },
);
sameType<Static<typeof Field>, DomainField>();

export const Layer = Type.Object(
  {
    protocol: ref(LayerProtocol),
    title: Type.String({ description: '"Internet Protocol Version 4".' }),
    byteOffset: Type.Integer({ minimum: 0, description: "Where the layer starts in the packet." }),
    byteLength: Type.Integer({ minimum: 0 }),
    fields: Type.Array(ref(Field)),
    summary: Type.String({ description: '"10.0.0.2 → 10.0.0.53, TTL 64, UDP".' }),
    checksum: Type.Optional(ref(ChecksumStatus)),
    errors: Type.Array(Type.String(), {
      description:
        'What could not be decoded, in a learner\'s words ("total length 60 exceeds 28 bytes").',
    }),
    quoted: Type.Optional(
      Type.Boolean({
        description:
          "True on the layers of another packet that an ICMP error quotes (its IPv4 and UDP headers): they describe the packet that failed, not this one. Absent otherwise.",
      }),
    ),
  },
  {
    $id: "Layer",
    description: "One protocol layer of a dissected packet, outermost first.",
    examples: [exampleLayer],
  },
);
sameType<Static<typeof Layer>, DomainLayer>();

/** Add a reason here (and to DropReason in src/netsim/types.ts, which documents each). */
const DROP_REASONS = [
  "bad-header-checksum",
  "bad-udp-checksum",
  "bad-tcp-checksum",
  "malformed",
  "port-unreachable",
  "ttl-expired",
  "no-route",
  "fragmentation-needed",
  "reassembly-timeout",
  "lost",
  "not-for-this-host",
  "receive-queue-full",
  "reassembly-limit",
  "run-stopped",
] as const;
sameType<(typeof DROP_REASONS)[number], DomainDropReason>();

export const DropReason = stringEnum(DROP_REASONS, {
  $id: "DropReason",
  description: "Why a packet went no further (src/netsim/types.ts says where each is decided).",
});

export const PacketFate = Type.Union(
  [
    Type.Object({ status: Type.Literal("delivered") }),
    Type.Object({
      status: Type.Literal("dropped"),
      reason: ref(DropReason),
      detail: Type.String({ description: "The reason in a sentence, with the numbers involved." }),
    }),
  ],
  { $id: "PacketFate", description: "Delivered, or dropped with a reason." },
);
sameType<Static<typeof PacketFate>, PacketEvent["fate"]>();

export const Packet = Type.Object(
  {
    seq: Type.Integer({ minimum: 1, description: "1, 2, 3… in the order packets became final." }),
    sentUs: Type.Number({
      description: "Virtual time it was put on the link (µs since the run began).",
    }),
    arrivedUs: Type.Optional(
      Type.Number({ description: "Virtual arrival time; absent when it never arrived." }),
    ),
    from: Type.String({ description: "Host that put it on the link." }),
    to: Type.String({ description: "Host at the link's other end." }),
    length: Type.Integer({ minimum: 0, description: "Bytes of the IPv4 packet." }),
    hex: Type.String({
      pattern: "^([0-9a-f]{2})*$",
      description: "The packet's bytes, lower-case hex.",
    }),
    layers: Type.Array(ref(Layer)),
    summary: Type.String({ description: "One line for a packet list." }),
    topProtocol: ref(LayerProtocol),
    fate: ref(PacketFate),
  },
  {
    $id: "Packet",
    description:
      "One packet crossing one link, decoded, with its bytes. `topProtocol` is what a packet list names it by (Wireshark's Protocol column): the innermost layer that is neither payload nor quoted, so an ICMP error that quotes a UDP datagram is icmp, not udp.",
    examples: [
      {
        seq: 1,
        sentUs: 0,
        arrivedUs: 1000,
        from: "learner",
        to: "router",
        length: exampleHex.length / 2,
        hex: exampleHex,
        ...exampleDissection,
        fate: { status: "delivered" },
      },
    ],
  },
);
sameType<Static<typeof Packet>, PacketEvent>();

export const packetSchemas = [
  LayerProtocol,
  ChecksumStatus,
  Field,
  Layer,
  DropReason,
  PacketFate,
  Packet,
];

/** A trace of packets, as stored for replay. */
export const Trace = Type.Object(
  {
    packets: Type.Array(ref(Packet)),
    totalPackets: Type.Integer({ minimum: 0, description: "Packets the run produced." }),
    truncated: Type.Boolean({
      description: "True when only the first TRACE_MAX_PACKETS were kept.",
    }),
  },
  { $id: "Trace" },
);
