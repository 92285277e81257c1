// Bytes as hex text, the way people paste packets around (Wireshark's "copy as hex", xxd, …).

const HEX_DIGITS = "0123456789abcdef";

/** "45000021…": lower-case hex, no separators. */
export function toHex(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    text += HEX_DIGITS[b >>> 4]! + HEX_DIGITS[b & 15]!;
  }
  return text;
}

/**
 * Hex text → bytes. Tolerates whitespace, colons, dashes between bytes and "0x" prefixes
 * ("45 00", "45:00", "0x4500"). Throws a RangeError naming the first bad character, or an odd
 * digit count.
 */
export function fromHex(text: string): Uint8Array {
  const digits: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "0" && (text[i + 1] === "x" || text[i + 1] === "X") && startsToken(text, i)) {
      i++;
      continue;
    }
    const value = parseInt(c, 16);
    if (!Number.isNaN(value) && /[0-9a-fA-F]/.test(c)) digits.push(value);
    else if (!/[\s:,-]/.test(c)) {
      throw new RangeError(`"${c}" at position ${i + 1} is not a hex digit`);
    }
  }
  if (digits.length % 2 !== 0) {
    throw new RangeError(`odd number of hex digits (${digits.length}): a byte needs two digits`);
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (digits[i * 2]! << 4) | digits[i * 2 + 1]!;
  return bytes;
}

function startsToken(text: string, i: number): boolean {
  return i === 0 || /[\s:,-]/.test(text[i - 1]!);
}

/** xxd-like dump: offset, 16 bytes of hex (in two groups of 8), and their ASCII. */
export function hexdump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    let hex = "";
    let ascii = "";
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += " ";
      const b = row[i];
      hex += b === undefined ? "   " : HEX_DIGITS[b >>> 4]! + HEX_DIGITS[b & 15]! + " ";
      if (b !== undefined) ascii += b >= 32 && b < 127 ? String.fromCharCode(b) : ".";
    }
    lines.push(`${offset.toString(16).padStart(4, "0")}  ${hex} ${ascii}`);
  }
  return lines.join("\n");
}
