// Bytes of one IPv4 packet → layers of named fields, for the packet browser, the CLI and the
// grader. Like Wireshark without reassembly: every packet is dissected on its own, and bad input
// never throws; what cannot be decoded becomes an error annotation on its layer.
import { decodedIfDns, dissectDns } from "./dissect-dns.ts";
import { dissectIcmp, QUOTING_TYPES } from "./dissect-icmp.ts";
import {
  dissectIpv4,
  protocolKnown,
  protocolName,
  sourceRouteDestination,
} from "./dissect-ipv4.ts";
import { dissectNameLookup, dissectPayload } from "./dissect-payload.ts";
import { dissectTcp } from "./dissect-tcp.ts";
import { dissectUdp } from "./dissect-udp.ts";
import { IP_PROTOCOL, type Ipv4Header } from "./ipv4.ts";
import { NAME_LOOKUP_PORT } from "./name-lookup.ts";
import type { TcpConversations } from "./tcp-conversations.ts";
import type { Dissection, Field, Layer } from "./types.ts";

/**
 * Ports on which Wireshark decodes TCP data as an application protocol we do not dissect
 * (HTTP, TLS, SSH, …): their data is shown undecoded, under no Wireshark name.
 */
const WIRESHARK_TCP_APPLICATION_PORTS = new Set([21, 22, 23, 25, 53, 80, 110, 143, 443, 8080]);

/**
 * `conversations` carries what earlier TCP segments of the same trace said (initial sequence
 * numbers, window scales); without it each segment is dissected as the first of its conversation.
 */
export function dissectPacket(bytes: Uint8Array, conversations?: TcpConversations): Dissection {
  try {
    return dissect(bytes, conversations);
  } catch (error) {
    // A bug of ours must not take down the packet stream; show it as what it is.
    return {
      layers: [dissectPayload(bytes, 0)],
      summary: `${bytes.length} bytes (the dissector failed: ${String(error)})`,
      topProtocol: "payload",
    };
  }
}

function dissect(bytes: Uint8Array, conversations: TcpConversations | undefined): Dissection {
  const ip = dissectIpv4(bytes, 0, "Internet Protocol Version 4");
  const layers: Layer[] = [ip.layer];
  const header = ip.decoded.header;
  if (!header || header.version !== 4) {
    return finish(layers, `${bytes.length} bytes, not a complete IPv4 header`);
  }
  const payload = ip.decoded.payload;
  const offset = ip.payloadOffset;
  if (header.fragmentOffset > 0) {
    const name = protocolName(header.protocol);
    const at = header.fragmentOffset * 8;
    layers.push(
      dissectPayload(
        payload,
        offset,
        `Fragment of a ${name} datagram (bytes ${at}–${at + payload.length - 1})`,
      ),
    );
    const more = header.moreFragments ? ", more follow" : ", the last";
    return finish(
      layers,
      `${route(header)} ${name} fragment at byte ${at}, ${payload.length} bytes${more}`,
    );
  }
  if (header.protocol === IP_PROTOCOL.UDP) {
    return udpDissection(bytes, ip.layer, header, payload, offset);
  }
  if (header.protocol === IP_PROTOCOL.TCP) {
    return tcpDissection(bytes, ip.layer, header, payload, offset, conversations);
  }
  if (header.protocol === IP_PROTOCOL.ICMP)
    return finish(layers, icmpLayers(layers, header, payload, offset, bytes.length));
  if (payload.length > 0) {
    const data = dissectPayload(payload, offset);
    // Wireshark decodes the protocols it has a name for (TCP, GRE, …), so its data.data would
    // not be these bytes; we show them undecoded, under no Wireshark name.
    if (protocolKnown(header.protocol)) data.fields = data.fields.map(unnamed);
    layers.push(data);
  }
  return finish(
    layers,
    `${route(header)} ${protocolName(header.protocol)}, ${payload.length} bytes`,
  );
}

/** "10.0.0.2 → 10.0.0.53"; made only where a summary uses it (UDP summaries have ports). */
function route(header: Ipv4Header): string {
  return `${header.source} → ${header.destination}`;
}

function finish(layers: Layer[], summary: string): Dissection {
  return { layers, summary: summary + errorMark(layers), topProtocol: topProtocol(layers) };
}

/**
 * The innermost layer that is neither bare payload nor quoted from another packet, nor only an
 * error: a UDP header cut to nothing does not make a packet UDP (Wireshark's Protocol column
 * agrees; wireshark-corpus.test.ts compares them), while an empty name-lookup answer is one.
 */
function topProtocol(layers: Layer[]): Layer["protocol"] {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (layer.protocol === "payload" || layer.quoted) continue;
    if (layer.fields.length === 0 && layer.errors.length > 0) continue;
    return layer.protocol;
  }
  return layers[0]!.protocol;
}

function errorMark(layers: Layer[]): string {
  for (const layer of layers) if (layer.errors.length > 0) return " [malformed]";
  return "";
}

// The layers arrays are written out whole: an array literal is sized exactly, while pushing onto
// [ip] reserves 17 slots, in every dissection netsim keeps.
function udpDissection(
  packet: Uint8Array,
  ipLayer: Layer,
  header: Ipv4Header,
  payload: Uint8Array,
  offset: number,
): Dissection {
  const finalDestination =
    header.options.length > 0 ? sourceRouteDestination(header.options) : null;
  const udp = dissectUdp(
    payload,
    offset,
    { source: readUint32(packet, 12), destination: finalDestination ?? readUint32(packet, 16) },
    header.moreFragments ? "first fragment" : undefined,
  );
  const udpHeader = udp.decoded.header;
  if (!udpHeader) return finish([ipLayer, udp.layer], `${route(header)} UDP, truncated header`);
  const data = udp.decoded.payload;
  const dataOffset = offset + 8;
  let summary = `${header.source}:${udpHeader.sourcePort} → ${header.destination}:${udpHeader.destinationPort} UDP, ${data.length} bytes`;
  if (header.moreFragments) summary += ` (first fragment of ${udpHeader.length - 8})`;
  const application = applicationLayer(
    data,
    dataOffset,
    udpHeader.sourcePort,
    udpHeader.destinationPort,
  );
  if (!application) return finish([ipLayer, udp.layer], summary);
  if (application.protocol !== "payload") summary += `: ${application.summary}`;
  return finish([ipLayer, udp.layer, application], summary);
}

function tcpDissection(
  packet: Uint8Array,
  ipLayer: Layer,
  header: Ipv4Header,
  payload: Uint8Array,
  offset: number,
  conversations: TcpConversations | undefined,
): Dissection {
  const finalDestination =
    header.options.length > 0 ? sourceRouteDestination(header.options) : null;
  const tcp = dissectTcp(
    payload,
    offset,
    { source: readUint32(packet, 12), destination: finalDestination ?? readUint32(packet, 16) },
    header.moreFragments
      ? "first fragment"
      : header.totalLength > packet.length
        ? "captured"
        : undefined,
    conversations,
  );
  const tcpHeader = tcp.decoded.header;
  if (!tcpHeader) return finish([ipLayer, tcp.layer], `${route(header)} TCP, truncated header`);
  const data = tcp.decoded.payload;
  const summary =
    `${header.source}:${tcpHeader.sourcePort} → ${header.destination}:${tcpHeader.destinationPort} TCP ` +
    tcp.layer.summary.replace(/^port \d+ → \d+ /, "");
  if (data.length === 0) return finish([ipLayer, tcp.layer], summary);
  const application = dissectPayload(data, offset + tcp.layer.byteLength);
  // Wireshark hands neither a retransmission's data nor a known application port's data to its
  // data dissector; we show the bytes all the same, unnamed.
  if (
    tcp.retransmission ||
    WIRESHARK_TCP_APPLICATION_PORTS.has(tcpHeader.sourcePort) ||
    WIRESHARK_TCP_APPLICATION_PORTS.has(tcpHeader.destinationPort)
  ) {
    application.fields = application.fields.map(unnamed);
  }
  return finish([ipLayer, tcp.layer, application], summary);
}

function applicationLayer(
  data: Uint8Array,
  offset: number,
  sourcePort: number,
  destinationPort: number,
): Layer | null {
  const toServer = destinationPort === NAME_LOOKUP_PORT;
  const fromServer = sourcePort === NAME_LOOKUP_PORT;
  if (toServer || fromServer) {
    const dns = decodedIfDns(data);
    if (dns) return dissectDns(data, offset, dns);
    const lookup = dissectNameLookup(data, offset, toServer ? "request" : "answer");
    if (lookup) return lookup;
    // Anything else on port 53 is taken for DNS, malformed if need be (as Wireshark does): show
    // what decodes, with the errors.
    if (data.length > 0) return dissectDns(data, offset);
  }
  return data.length > 0 ? dissectPayload(data, offset) : null;
}

function icmpLayers(
  layers: Layer[],
  header: Ipv4Header,
  payload: Uint8Array,
  offset: number,
  captured: number,
): string {
  const complete = !header.moreFragments && header.totalLength <= captured;
  const icmp = dissectIcmp(payload, offset, complete);
  layers.push(icmp.layer);
  const icmpHeader = icmp.decoded.header;
  const data = icmp.data;
  if (icmpHeader && QUOTING_TYPES.has(icmpHeader.type) && data.length > 0) {
    quotedLayers(layers, data, offset + 8);
  } else if (data.length > 0) {
    layers.push(dissectPayload(data, offset + icmp.layer.byteLength));
  }
  return `${route(header)} ICMP ${icmp.layer.summary}`;
}

/** The offending packet's header and first 8 bytes, quoted inside an ICMP error. */
function quotedLayers(layers: Layer[], quote: Uint8Array, offset: number): void {
  const inner = dissectIpv4(
    quote,
    offset,
    "Internet Protocol Version 4 (quoted in the ICMP message)",
  );
  inner.layer.quoted = true;
  const innerHeader = inner.decoded.header;
  // RFC 792 quotes only 8 bytes of the payload, so a total length beyond them is expected.
  if (innerHeader) {
    inner.layer.errors = inner.layer.errors.filter(
      (error) =>
        error !==
        `total length ${innerHeader.totalLength} exceeds the ${quote.length} bytes captured`,
    );
  }
  layers.push(inner.layer);
  if (!innerHeader || innerHeader.fragmentOffset > 0) return;
  const rest = inner.decoded.payload;
  if (innerHeader.protocol === IP_PROTOCOL.TCP && rest.length > 0) {
    const tcp = dissectTcp(
      rest,
      inner.payloadOffset,
      { source: readUint32(quote, 12), destination: readUint32(quote, 16) },
      "quoted",
    );
    tcp.layer.quoted = true;
    layers.push(tcp.layer);
    return;
  }
  if (innerHeader.protocol !== IP_PROTOCOL.UDP || rest.length === 0) return;
  // A quote that holds the whole datagram (routers may quote more than 8 bytes, RFC 1812
  // §4.3.2.3) can be checked and decoded like any other; a cut one is shown as far as it goes.
  const udp = dissectUdp(
    rest,
    inner.payloadOffset,
    { source: readUint32(quote, 12), destination: readUint32(quote, 16) },
    "quoted",
  );
  udp.layer.quoted = true;
  layers.push(udp.layer);
  const udpHeader = udp.decoded.header;
  if (!udpHeader || udpHeader.length > rest.length) return;
  const application = applicationLayer(
    udp.decoded.payload,
    inner.payloadOffset + 8,
    udpHeader.sourcePort,
    udpHeader.destinationPort,
  );
  if (application) {
    application.quoted = true;
    layers.push(application);
  }
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
  );
}

function unnamed(field: Field): Field {
  return { ...field, wireshark: undefined };
}
