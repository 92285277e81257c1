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

/** "0x1c46": four hex digits, as Wireshark shows 16-bit values. */
export function hex16(value: number): string {
  return (
    "0x" +
    HEX[(value >>> 12) & 15]! +
    HEX[(value >>> 8) & 15]! +
    HEX[(value >>> 4) & 15]! +
    HEX[value & 15]!
  );
}

/** Printable ASCII text (tabs and line breaks allowed) or null. */
export function printableText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if ((c < 32 || c > 126) && c !== 9 && c !== 10 && c !== 13) return null;
  }
  // Checked above to be ASCII, so one byte is one character.
  return bytes.length <= 4096
    ? String.fromCharCode.apply(null, bytes as unknown as number[])
    : new TextDecoder("latin1").decode(bytes);
}
