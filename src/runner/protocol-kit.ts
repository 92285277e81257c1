// The encoders and the dissector that hand-built packets go through, from src/protocols: the
// same code the network and the packet browser use. Loaded lazily so a worker that never builds
// a packet pays nothing for it.
import type { Layer } from "../protocols/types.ts";

export interface ProtocolKit {
  encodeIpv4(fields: Record<string, unknown>, payload: Uint8Array): Uint8Array;
  encodeUdp(
    fields: Record<string, unknown>,
    payload: Uint8Array,
    addresses: { source: string; destination: string },
  ): Uint8Array;
  encodeTcp(
    fields: Record<string, unknown>,
    payload: Uint8Array,
    addresses: { source: string; destination: string },
  ): Uint8Array;
  dissect(packet: Uint8Array): Layer[];
}

let kit: Promise<ProtocolKit> | null = null;

export function loadProtocolKit(): Promise<ProtocolKit> {
  kit ??= import("../protocols/index.ts").then((protocols) => {
    const dissectPacket = (protocols as Record<string, unknown>).dissectPacket as
      ((packet: Uint8Array) => { layers: Layer[] }) | undefined;
    return {
      encodeIpv4: (fields, payload) => protocols.encodeIpv4(fields as never, payload),
      encodeUdp: (fields, payload, addresses) =>
        protocols.encodeUdp(fields as never, payload, addresses),
      encodeTcp: (fields, payload, addresses) =>
        protocols.encodeTcp(fields as never, payload, addresses),
      dissect: (packet) => {
        if (!dissectPacket) throw new Error("the dissector is not available yet");
        return dissectPacket(packet).layers;
      },
    };
  });
  return kit;
}
