// Checks a topology before anything runs, so a lesson author sees every mistake at once, and
// the default topology of the "Exchanging Messages" lesson.
import { parseIpv4Address } from "../protocols/address.ts";
import { parseIpv6Address } from "../protocols/ipv6-address.ts";
import type { TopologySpec } from "./types.ts";

const MAX_LATENCY_US = 10_000_000;
// RFC 791 §3.2: every internet module must forward a 68-byte datagram without fragmenting it.
const MIN_MTU = 68;

/** Every problem found, in words a lesson author can act on; empty when the topology is fine. */
export function validateTopology(spec: TopologySpec): string[] {
  const problems: string[] = [];
  if (!spec || typeof spec !== "object") return ["the topology must be an object"];
  const hosts = Array.isArray(spec.hosts) ? spec.hosts : [];
  const links = Array.isArray(spec.links) ? spec.links : [];
  const records = Array.isArray(spec.records) ? spec.records : [];
  const peers = Array.isArray(spec.peers) ? spec.peers : [];
  for (const key of ["hosts", "links", "records", "peers"] as const) {
    if (!Array.isArray(spec[key])) problems.push(`"${key}" must be a list`);
  }

  const names = new Set<string>();
  const addresses = new Map<number, string>();
  for (const [index, host] of hosts.entries()) {
    const name = host?.name;
    if (typeof name !== "string" || name.length === 0) {
      problems.push(`host #${index + 1} has no name`);
      continue;
    }
    if (names.has(name)) problems.push(`host name "${name}" is used twice`);
    names.add(name);
    const address = parseIpv4Address(host.address);
    if (address === null) {
      problems.push(`host "${name}" has address "${String(host.address)}", not an IPv4 address`);
    } else if (address === 0 || address === 0xffffffff || address >>> 24 === 127) {
      problems.push(`host "${name}" cannot use the special address ${host.address}`);
    } else if (addresses.has(address)) {
      problems.push(
        `address ${host.address} belongs to both "${addresses.get(address)}" and "${name}"`,
      );
    } else {
      addresses.set(address, name);
    }
  }

  const pairs = new Set<string>();
  for (const [index, link] of links.entries()) {
    const label = `link #${index + 1} (${String(link?.a)} – ${String(link?.b)})`;
    for (const end of [link?.a, link?.b]) {
      if (!names.has(end)) problems.push(`${label} names unknown host "${String(end)}"`);
    }
    if (link?.a === link?.b) problems.push(`${label} connects a host to itself`);
    const pair = [link?.a, link?.b].sort().join("\u0000");
    if (pairs.has(pair)) problems.push(`${label} duplicates an earlier link`);
    pairs.add(pair);
    if (link?.latencyUs !== undefined && !isIntegerIn(link.latencyUs, 0, MAX_LATENCY_US)) {
      problems.push(`${label}: latencyUs must be a whole number from 0 to ${MAX_LATENCY_US}`);
    }
    if (link?.mtu !== undefined && !isIntegerIn(link.mtu, MIN_MTU, 65_535)) {
      problems.push(`${label}: mtu must be a whole number from ${MIN_MTU} to 65535`);
    }
    for (const key of ["loss", "duplicate", "reorder"] as const) {
      const p = link?.[key];
      if (p !== undefined && !(typeof p === "number" && p >= 0 && p <= 1)) {
        problems.push(`${label}: ${key} must be a probability from 0 to 1`);
      }
    }
  }

  for (const [index, record] of records.entries()) {
    problems.push(...checkRecord(record, index));
  }

  const bound = new Set<string>();
  for (const [index, peer] of peers.entries()) {
    const label = `peer #${index + 1} (${String(peer?.kind)})`;
    if (
      !["name-server", "alice", "file-receiver", "web-server", "tcp-caller"].includes(peer?.kind)
    ) {
      problems.push(`${label} has an unknown kind`);
    }
    if (!names.has(peer?.host))
      problems.push(`${label} runs on unknown host "${String(peer?.host)}"`);
    const port = peer?.port ?? defaultPeerPort(peer?.kind);
    if (!isIntegerIn(port, 1, 65_535)) {
      problems.push(`${label} needs a port from 1 to 65535`);
    } else if (peer.kind !== "tcp-caller" && bound.has(`${peer.host}:${port}`)) {
      problems.push(`${label}: port ${port} on "${peer.host}" is taken by another peer`);
    }
    bound.add(`${peer?.host}:${port}`);
  }

  if (typeof spec.learnerHost !== "string" || !names.has(spec.learnerHost)) {
    problems.push(`learnerHost "${String(spec.learnerHost)}" is not one of the hosts`);
  }
  return problems;
}

export function defaultPeerPort(kind: string | undefined): number | undefined {
  if (kind === "name-server") return 53;
  if (kind === "alice") return 1000;
  if (kind === "web-server") return 80;
  return undefined;
}

function checkRecord(record: TopologySpec["records"][number], index: number): string[] {
  const label = `record #${index + 1} (${String(record?.name)})`;
  if (typeof record?.name !== "string" || !isDomainName(record.name)) {
    return [`${label} has an invalid domain name`];
  }
  const value = record.value;
  if (typeof value !== "string") return [`${label} has no value`];
  switch (record.type) {
    case "A":
      return parseIpv4Address(value) === null
        ? [`${label}: "${value}" is not an IPv4 address`]
        : [];
    case "AAAA":
      return parseIpv6Address(value) ? [] : [`${label}: "${value}" is not an IPv6 address`];
    case "CNAME":
      return isDomainName(value) ? [] : [`${label}: "${value}" is not a domain name`];
    case "TXT":
      // RFC 1035 §3.3: a character-string is at most 255 bytes.
      return Buffer.byteLength(value) > 255 ? [`${label}: TXT text is over 255 bytes`] : [];
    default:
      return [`${label} has unsupported type "${String(record.type)}"`];
  }
}

/** RFC 1035 §2.3.4: labels of 1–63 bytes, a name of at most 253 characters (trailing dot aside). */
export function isDomainName(name: string): boolean {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  if (trimmed.length === 0 || trimmed.length > 253) return false;
  return trimmed.split(".").every((label) => /^[A-Za-z0-9_-]{1,63}$/.test(label));
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * The lesson's network: the learner, a name server that knows Alice, and Alice, each one
 * link away from the learner. The lessons derive Alice's address per learner from the seed.
 */
export function defaultTopology(aliceAddress = "10.0.0.7"): TopologySpec {
  return {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "ns", address: "10.0.0.53" },
      { name: "alice", address: aliceAddress },
    ],
    links: [
      { a: "learner", b: "ns", latencyUs: 1000 },
      { a: "learner", b: "alice", latencyUs: 1000 },
    ],
    records: [
      { name: "alice", type: "A", value: aliceAddress },
      { name: "ns", type: "A", value: "10.0.0.53" },
    ],
    peers: [
      { kind: "name-server", host: "ns" },
      { kind: "alice", host: "alice" },
    ],
    learnerHost: "learner",
  };
}
