// Building Field objects cheaply: each field's constant part (name, title, Wireshark name, bit
// position within its layer) is described once, at module load; per packet only the value,
// the display and the absolute offset are filled in. Every Field gets the same property order,
// so V8 keeps one object shape for all of them.
import type { Field } from "./types.ts";

export interface FieldSpec {
  name: string;
  title: string;
  wireshark: string | undefined;
  /** Bits from the start of the layer. */
  bitOffset: number;
  bitLength: number;
}

export function spec(
  name: string,
  title: string,
  wireshark: string | undefined,
  bitOffset: number,
  bitLength: number,
): FieldSpec {
  return { name, title, wireshark, bitOffset, bitLength };
}

/** A field from its spec, placed at the layer's byte offset in the packet. */
export function field(
  s: FieldSpec,
  layerByteOffset: number,
  value: number | string | boolean,
  display?: string,
  children?: Field[],
): Field {
  return {
    name: s.name,
    title: s.title,
    value,
    display,
    bitOffset: layerByteOffset * 8 + s.bitOffset,
    bitLength: s.bitLength,
    wireshark: s.wireshark,
    children,
  };
}

/** A field whose place is only known per packet (DNS names, options, payloads). */
export function placedField(
  name: string,
  title: string,
  wireshark: string | undefined,
  byteOffset: number,
  byteLength: number,
  value: number | string | boolean,
  display?: string,
  children?: Field[],
): Field {
  return {
    name,
    title,
    value,
    display,
    bitOffset: byteOffset * 8,
    bitLength: byteLength * 8,
    wireshark,
    children,
  };
}

/** True when the spec's bits lie within the first `available` bytes of the layer. */
export function fits(s: FieldSpec, available: number): boolean {
  return s.bitOffset + s.bitLength <= available * 8;
}

const HEX = "0123456789abcdef";
// hex16 runs several times per packet (identification, checksums): each text is built once and
// kept. 65,536 slots at most, so the table stays bounded (≈ 0.5 MB of slots, filled lazily).
const HEX16_TEXTS = new Array<string | undefined>(0x10000).fill(undefined);

/** "0x1c46": four hex digits, as Wireshark shows 16-bit values. */
export function hex16(value: number): string {
  const word = value & 0xffff;
  return (HEX16_TEXTS[word] ??=
    "0x" + HEX[word >>> 12]! + HEX[(word >>> 8) & 15]! + HEX[(word >>> 4) & 15]! + HEX[word & 15]!);
}
