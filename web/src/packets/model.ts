// What the packet views share: the API's Packet as it is, walked into a flat list of fields
// keyed by their place in the tree ("1.0", "1.2.3": layer, then child indexes), and the bytes
// a field covers from the bit offsets the API gives.
import type { Field, Packet } from "../api/client.ts";

export interface FlatField {
  key: string;
  layerIndex: number;
  depth: number;
  field: Field;
  /** Bytes [start, end) of the whole packet the field's bits fall in. */
  start: number;
  end: number;
}

export function byteRange(field: Pick<Field, "bitOffset" | "bitLength">): [number, number] {
  const start = Math.floor(field.bitOffset / 8);
  return [start, Math.max(start + 1, Math.ceil((field.bitOffset + field.bitLength) / 8))];
}

const cache = new WeakMap<Packet, FlatField[]>();

export function flattenFields(packet: Packet): FlatField[] {
  let flat = cache.get(packet);
  if (flat) return flat;
  flat = [];
  const walk = (fields: Field[], prefix: string, layerIndex: number, depth: number) => {
    fields.forEach((field, index) => {
      const key = `${prefix}.${index}`;
      const [start, end] = byteRange(field);
      flat!.push({ key, layerIndex, depth, field, start, end });
      if (field.children) walk(field.children, key, layerIndex, depth + 1);
    });
  };
  packet.layers.forEach((layer, index) => walk(layer.fields, String(index), index, 0));
  cache.set(packet, flat);
  return flat;
}

/** The most specific field that covers a byte: the deepest, then the narrowest. */
export function fieldAtByte(packet: Packet, byte: number): FlatField | undefined {
  let best: FlatField | undefined;
  for (const candidate of flattenFields(packet)) {
    if (byte < candidate.start || byte >= candidate.end) continue;
    if (
      !best ||
      candidate.depth > best.depth ||
      (candidate.depth === best.depth && candidate.field.bitLength < best.field.bitLength)
    ) {
      best = candidate;
    }
  }
  return best;
}

/** A field by key; a layer's key ("1") stands for all of the layer's bytes. */
export function findField(packet: Packet, key: string | undefined): FlatField | undefined {
  if (key === undefined) return undefined;
  if (!key.includes(".")) {
    const layerIndex = Number(key);
    const layer = packet.layers[layerIndex];
    if (!layer) return undefined;
    const field: Field = {
      name: layer.protocol,
      title: layer.title,
      value: layer.summary,
      bitOffset: layer.byteOffset * 8,
      bitLength: layer.byteLength * 8,
    };
    return {
      key,
      layerIndex,
      depth: -1,
      field,
      start: layer.byteOffset,
      end: layer.byteOffset + layer.byteLength,
    };
  }
  return flattenFields(packet).find((f) => f.key === key);
}

export function packetBytes(packet: Packet): Uint8Array {
  const bytes = new Uint8Array(packet.hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = parseInt(packet.hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** A field's bits within its bytes, Wireshark-style: "0100 ...." for IPv4's version. */
export function bitPattern(packet: Packet, field: Field): string | undefined {
  if (field.bitOffset % 8 === 0 && field.bitLength % 8 === 0) return undefined;
  const bytes = packetBytes(packet);
  const [start, end] = byteRange(field);
  let out = "";
  for (let bit = start * 8; bit < end * 8; bit++) {
    if (bit > start * 8 && bit % 4 === 0) out += " ";
    const inside = bit >= field.bitOffset && bit < field.bitOffset + field.bitLength;
    out += inside ? String(((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) : ".";
  }
  return out;
}

/** The value as a learner reads it: the API's rendering, else the number with its hex. */
export function showValue(field: Field): string {
  if (field.display !== undefined) {
    if (typeof field.value === "number" && !field.display.includes(String(field.value))) {
      return `${field.display} (${field.value})`;
    }
    return field.display;
  }
  if (typeof field.value === "number" && field.bitLength >= 8) {
    const digits = Math.ceil(field.bitLength / 4);
    return `${field.value} (0x${field.value.toString(16).padStart(digits, "0")})`;
  }
  return String(field.value);
}

export function bitRange(field: Field): string {
  if (field.bitLength === 1) return `bit ${field.bitOffset}`;
  return `bits ${field.bitOffset}–${field.bitOffset + field.bitLength - 1}`;
}

/** Virtual time, in milliseconds with three decimals like Wireshark's seconds column. */
export function showTime(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

export type HostNames = Record<string, string>;

export function hostName(names: HostNames, host: string): string {
  return names[host] ?? host;
}

export function describeFate(packet: Packet): string | undefined {
  return packet.fate.status === "dropped"
    ? `dropped (${packet.fate.reason}): ${packet.fate.detail}`
    : undefined;
}

/** Where the packet numbered `seq` is in a run's packets, -1 if not there or none. */
export function indexOfPacket(packets: readonly Packet[], seq: number | undefined): number {
  if (seq === undefined) return -1;
  // A run numbers its packets 1, 2, 3…: found at once, however many there are.
  if (packets[seq - 1]?.seq === seq) return seq - 1;
  return packets.findIndex((p) => p.seq === seq);
}

/**
 * Where a key moves the selection among `count` rows (the list's and the ladder's keys):
 * ↑ ↓ by one, PageUp PageDown by `page` (a screenful), Home End to the ends; undefined for
 * any other key.
 */
export function moveSelection(
  key: string,
  index: number,
  count: number,
  page: number,
): number | undefined {
  const last = count - 1;
  const moves: Record<string, number> = {
    ArrowDown: Math.min(last, index + 1),
    ArrowUp: Math.max(0, index - 1),
    Home: 0,
    End: last,
    PageDown: Math.min(last, index + page),
    PageUp: Math.max(0, index - page),
  };
  return count > 0 ? moves[key] : undefined;
}
