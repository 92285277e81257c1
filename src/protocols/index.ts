// The protocols area: bytes ⇄ structured headers. Pure code, no I/O; see STYLE.md.
export * from "./types.ts";
export * from "./checksum.ts";
export * from "./address.ts";
export * from "./ipv6-address.ts";
export * from "./ipv4.ts";
export * from "./udp.ts";
export * from "./tcp.ts";
export { createTcpConversations, type TcpConversations } from "./tcp-conversations.ts";
export * from "./icmp.ts";
export * from "./dns.ts";
export { readName } from "./dns-name.ts";
export * from "./name-lookup.ts";
export * from "./hex.ts";
export { dissectPacket } from "./dissect.ts";
export * from "./field-path.ts";
export * from "./pcap.ts";
