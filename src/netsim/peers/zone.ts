// The zone the name server is authoritative for: its apex (the longest name every record sits
// under, e.g. "packetlab.test"), with the SOA and NS records a zone has at its apex (RFC 1035
// §6.1) so that negative answers can carry the SOA a resolver caches them by (RFC 2308 §3), and
// the apex and other names with only names below them answer NOERROR, not NXDOMAIN (RFC 8020).
import { DNS_CLASS, DNS_TYPE, type DnsRecord } from "../../protocols/dns.ts";
import { nameLabels } from "../../protocols/dns-name.ts";

const SOA_TTL = 300;
// RFC 2308 §4: the SOA's MINIMUM is the TTL of negative answers.
const NEGATIVE_TTL = 60;

export interface Zone {
  apex: string;
  /** SOA and NS, owned by the apex. */
  apexRecords: DnsRecord[];
  /** The SOA for a negative answer's authority section (TTL: RFC 2308 §3). */
  negativeSoa: DnsRecord;
  contains(name: string): boolean;
}

const labelsOf = (name: string) => (name === "" ? [] : name.split("."));

/**
 * The zone of these record names (normalised): the longest common ancestor of their parents,
 * if it has at least two labels ("packetlab.test"); none for names such as "alice" that share
 * only the root.
 */
export function zoneOf(names: readonly string[]): string | undefined {
  let common: string[] | undefined;
  for (const name of names) {
    const parent = labelsOf(name).slice(1);
    if (!common) {
      common = parent;
      continue;
    }
    let shared = 0;
    while (
      shared < common.length &&
      shared < parent.length &&
      common[common.length - 1 - shared] === parent[parent.length - 1 - shared]
    )
      shared++;
    common = common.slice(common.length - shared);
  }
  return common && common.length >= 2 ? common.join(".") : undefined;
}

/**
 * Zones by apex, built once per process: a zone depends on its apex alone, and building one
 * (the SOA's wire form) cost ~2 % of a sandbox worker's CPU per run when each run's name server
 * built its own. Frozen, since every run's name server shares them; the SOA's bytes are only
 * ever read (encoded into answers). A topology names one apex, so a few entries suffice.
 */
const zones = new Map<string, Zone>();
const MAX_ZONES = 64;

export function createZone(apex: string): Zone {
  let zone = zones.get(apex);
  if (!zone) {
    if (zones.size >= MAX_ZONES) zones.clear();
    zone = buildZone(apex);
    zones.set(apex, zone);
  }
  return zone;
}

function buildZone(apex: string): Zone {
  const server = `ns.${apex}`;
  const soaBytes = soaRdata(server, `hostmaster.${apex}`);
  const soa = (ttl: number): DnsRecord =>
    Object.freeze({
      name: apex,
      type: DNS_TYPE.SOA,
      class: DNS_CLASS.IN,
      ttl,
      data: Object.freeze({ kind: "raw", bytes: soaBytes }),
    });
  return Object.freeze({
    apex,
    apexRecords: Object.freeze([
      soa(SOA_TTL),
      Object.freeze({
        name: apex,
        type: DNS_TYPE.NS,
        class: DNS_CLASS.IN,
        ttl: SOA_TTL,
        data: Object.freeze({ kind: "NS", name: server }),
      }),
    ]) as DnsRecord[],
    negativeSoa: soa(Math.min(SOA_TTL, NEGATIVE_TTL)),
    contains: (name: string) => name === apex || name.endsWith(`.${apex}`),
  });
}

/** RFC 1035 §3.3.13: MNAME, RNAME, then SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM. */
function soaRdata(mname: string, rname: string): Uint8Array {
  const names = [mname, rname].flatMap((name) => [
    ...nameLabels(name).flatMap((label) => [label.length, ...label]),
    0,
  ]);
  const bytes = new Uint8Array(names.length + 20);
  bytes.set(names);
  const view = new DataView(bytes.buffer, names.length);
  [1, 3600, 600, 86_400, NEGATIVE_TTL].forEach((value, i) => view.setUint32(i * 4, value));
  return bytes;
}
