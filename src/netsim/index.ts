// The simulated network: virtual clock, hosts, links, routing, MTU and the lesson's peers.
export * from "./types.ts";
export { createNetwork } from "./network.ts";
export { validateTopology, defaultTopology } from "./topology.ts";
export { NetworkError, TopologyError } from "./errors.ts";
export { DEFAULT_NETWORK_LIMITS } from "./limits.ts";
export { REASSEMBLY_TIMEOUT_US } from "./reassembly.ts";
export { MAX_UDP_PAYLOAD } from "./ip-stack.ts";
export { EPHEMERAL_FIRST, EPHEMERAL_LAST } from "./sockets.ts";
export { DEFAULT_ALICE_REPLY } from "./peers/alice.ts";
