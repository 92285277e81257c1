// The lesson's network, shared by topology.ts and the checks: fixed, well-known addresses for
// the learner and the name server, and names the name server knows.
import type { TopologySpec } from "../../src/netsim/types.ts";

export const LEARNER_ADDRESS = "10.0.0.2";
export const NAME_SERVER_ADDRESS = "10.0.0.53";
export const NAME_SERVER_PORT = 53;
export const ALICE_NAME = "alice.packetlab.test";
export const ALICE_PORT = 1000;
/** A name with no host behind it, for the first look-ups; its address is per session too. */
export const WEB_NAME = "www.packetlab.test";
/** Alice's answer to every message; `{message}` is what she received. */
export const ALICE_REPLY = "Hi, this is Alice. I got your message: {message}";

export function hostAddress(topology: TopologySpec, host: string): string {
  const found = topology.hosts.find((h) => h.name === host);
  if (!found) throw new Error(`the topology has no host "${host}"`);
  return found.address;
}

export function recordAddress(topology: TopologySpec, name: string): string {
  const found = topology.records.find((r) => r.name === name && r.type === "A");
  if (!found) throw new Error(`the topology has no A record for "${name}"`);
  return found.value;
}
