// Name look-ups as the trace shows them: what the learner asked the name server, and what it
// answered. Both of the server's languages are understood: the lesson's simple protocol (the
// name as text, 4 bytes back) and real DNS (RFC 1035).
import type { TopologySpec } from "../../netsim/types.ts";
import { decodeDns } from "../../protocols/dns.ts";
import { type FieldPath, hasFieldPath } from "../../protocols/field-path.ts";
import { decodeNameAnswer, decodeNameRequest } from "../../protocols/name-lookup.ts";
import type { RunResult } from "../../runner/types.ts";
import { deliveredTo, sentBy, type TracedPacket } from "./trace.ts";

export interface NameServerInfo {
  host: string;
  address: string;
  port: number;
}

export interface NameQuery {
  packet: TracedPacket;
  /** The name asked for, lower-cased without a trailing dot; null if the payload is neither. */
  name: string | null;
  language: "simple" | "dns" | null;
}

export interface NameAnswer {
  packet: TracedPacket;
  /** The IPv4 address answered, or null for "unknown name" (or an unreadable answer). */
  address: string | null;
}

export function nameServerOf(topology: TopologySpec): NameServerInfo | null {
  const peer = topology.peers.find((p) => p.kind === "name-server");
  const host = peer && topology.hosts.find((h) => h.name === peer.host);
  return peer && host ? { host: host.name, address: host.address, port: peer.port ?? 53 } : null;
}

/** Datagrams the learner's program sent to the name server's address and port. */
export function nameQueries(run: RunResult, topology: TopologySpec): NameQuery[] {
  const server = nameServerOf(topology);
  if (!server) return [];
  return sentBy(run.packets, topology.learnerHost)
    .filter(
      (p) =>
        p.ip?.destination === server.address &&
        p.udp?.destinationPort === server.port &&
        !p.fragment,
    )
    .map((packet) => ({ packet, ...readQuery(packet.udpPayload) }));
}

/** Datagrams from the name server that reached the learner's host. */
export function nameAnswers(run: RunResult, topology: TopologySpec): NameAnswer[] {
  const server = nameServerOf(topology);
  if (!server) return [];
  return deliveredTo(run.packets, topology.learnerHost)
    .filter((p) => p.ip?.source === server.address && p.udp?.sourcePort === server.port)
    .map((packet) => ({ packet, address: readAnswer(packet.udpPayload) }));
}

/**
 * Where a query's name is in its dissection: the lesson's simple request, a DNS question, or
 * the bare payload (a name sent with a line end, or something that is not a name at all),
 * else the UDP header (an empty datagram).
 */
export function nameField(packet: TracedPacket): FieldPath {
  return firstField(packet, ["name-lookup.name", "dns.questions.question.name", "payload"]);
}

/** Where an answer's address is: the simple answer's 4 bytes, or the DNS answers. */
export function addressField(packet: TracedPacket): FieldPath {
  return firstField(packet, ["name-lookup.address", "dns.answers", "name-lookup", "payload"]);
}

function firstField(packet: TracedPacket, candidates: FieldPath[]): FieldPath {
  return candidates.find((path) => hasFieldPath(packet.event, path)) ?? "udp";
}

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

function readQuery(payload: Uint8Array): Omit<NameQuery, "packet"> {
  // Like the name server, tolerate the spaces and line end a learner may send after a name.
  const simple = decodeNameRequest(
    new TextEncoder().encode(new TextDecoder().decode(payload).trim()),
  );
  if (simple !== null) return { name: normaliseName(simple), language: "simple" };
  const dns = decodeDns(payload).message;
  const question = dns && !dns.flags.qr ? dns.questions[0] : undefined;
  if (question) return { name: normaliseName(question.name), language: "dns" };
  return { name: null, language: null };
}

function readAnswer(payload: Uint8Array): string | null {
  const simple = decodeNameAnswer(payload);
  if (simple !== null) return simple;
  const dns = decodeDns(payload).message;
  for (const record of dns?.answers ?? []) {
    if (record.data.kind === "A") return record.data.address;
  }
  return null;
}
