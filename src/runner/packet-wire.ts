// How a result's packets cross from a worker to the API process. Each packet's dissection (its
// `layers`, ~3.5 KB of JSON) used to cross as structured clone: deserialising it was the API
// process's largest cost per run, and the service then turned it straight back into JSON to
// store and answer. Now the worker sends each packet twice, cheaply: as JSON text, and as the
// packet without its layers. The API process rebuilds plain packets whose `layers` is parsed
// from that text on first read (grading reads the bytes, not the dissection), and
// packetsJson() hands the text back without serialising anything again. Each packet also comes
// with the paths of its dissection's fields (fieldPathIndex), which is what grading asks of a
// packet's layers: whether the field a check links to exists.
import type { PacketEvent } from "../netsim/types.ts";
import { FIELD_PATHS, fieldPathIndex } from "../protocols/field-path.ts";

/** A run's packets on the IPC channel (worker-protocol.ts). */
export interface PacketWire {
  /** Each packet without its layers. */
  headers: Omit<PacketEvent, "layers">[];
  /** Each packet as JSON.stringify wrote it, layers included. */
  json: string[];
  /** Each packet's fieldPathIndex. */
  fieldPaths: string[];
}

/** The JSON text of packets that came from a worker: they are frozen (their layers too, once
 * parsed), so it stays true. */
const textOf = new WeakMap<PacketEvent, string>();

/** In the worker. */
export function encodePackets(packets: readonly PacketEvent[]): PacketWire {
  return {
    headers: packets.map(({ layers: _layers, ...header }) => header),
    // Not escaped to Latin-1 (summaries have "→", so the text is two bytes a character): the
    // escaping cost the worker more than the smaller copy saved this process.
    json: packets.map((packet) => JSON.stringify(packet)),
    // ~2.5 µs a packet here against ~30 µs to parse and freeze a packet's layers in the API
    // process, which grading did for most packets of a run to check the fields it links to.
    fieldPaths: packets.map((packet) => fieldPathIndex(packet.layers)),
  };
}

/**
 * In the API process: plain, frozen packets, `layers` parsed when first read; hasFieldPath()
 * answers from the worker's index without reading them.
 */
export function decodePackets(wire: PacketWire): PacketEvent[] {
  const packets: PacketEvent[] = [];
  for (let i = 0; i < wire.headers.length; i++) {
    const packet = lazyPacket(wire.headers[i]!, wire.json[i]!);
    // Not enumerable: neither JSON nor a copy of the packet sees it.
    Object.defineProperty(packet, FIELD_PATHS, { value: wire.fieldPaths[i] });
    Object.freeze(packet);
    Object.freeze(packet.fate);
    textOf.set(packet, wire.json[i]!);
    packets.push(packet);
  }
  return packets;
}

/**
 * An object literal with a getter: about half the cost of Object.defineProperty on the
 * received header, which turns it into a slow dictionary object. The keys are in the order of
 * PacketEvent, as the worker's JSON has them.
 */
function lazyPacket(header: PacketWire["headers"][number], text: string): PacketEvent {
  let layers: PacketEvent["layers"] | undefined;
  const { seq, sentUs, arrivedUs, from, to, length, hex, summary, topProtocol, fate } = header;
  // arrivedUs stays in its place between sentUs and from, and absent when the packet was lost.
  return {
    seq,
    sentUs,
    ...(arrivedUs === undefined ? {} : { arrivedUs }),
    from,
    to,
    length,
    hex,
    get layers() {
      return (layers ??= parseLayers(text));
    },
    summary,
    topProtocol,
    fate,
  };
}

const parseLayers = (text: string) => deepFreeze((JSON.parse(text) as PacketEvent).layers);

/** Fails to compile when PacketEvent gains a field that lazyPacket does not copy. */
type Copied =
  | "seq"
  | "sentUs"
  | "arrivedUs"
  | "from"
  | "to"
  | "length"
  | "hex"
  | "layers"
  | "summary"
  | "topProtocol"
  | "fate";
const allCopied: [Exclude<keyof PacketEvent, Copied>] extends [never] ? true : never = true;
void allCopied;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** JSON.stringify(packets), reusing the worker's text for packets that came with one. */
export function packetsJson(packets: readonly PacketEvent[]): string {
  let out = "[";
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i]!;
    if (i > 0) out += ",";
    out += textOf.get(packet) ?? JSON.stringify(packet) ?? "null";
  }
  return `${out}]`;
}
