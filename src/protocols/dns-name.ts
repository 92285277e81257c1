// Domain names on the wire (RFC 1035 §3.1, §4.1.4): length-prefixed labels ending in a zero
// byte, or a 2-byte pointer (top bits 11) to a name earlier in the message.

export interface NameRead {
  /** Labels joined with "."; "" is the root. */
  name: string;
  /** Offset just after the name where it starts (after the first pointer, if any). */
  end: number;
  /** Set when the name could not be read completely; `name` holds what was read. */
  error?: string;
}

// RFC 1035 §2.3.4: a name is at most 255 bytes on the wire. Each pointer jump must land inside
// the message, and a chain of more jumps than a maximal name could need is a loop.
const MAX_NAME_BYTES = 255;
const MAX_JUMPS = 127;

/** Reads a possibly compressed name at `offset`. Never throws. */
export function readName(bytes: Uint8Array, offset: number): NameRead {
  const labels: string[] = [];
  let position = offset;
  let end = -1;
  let jumps = 0;
  let nameBytes = 1;
  for (;;) {
    if (position >= bytes.length) {
      return failedRead(
        labels,
        end,
        position,
        bytes,
        `name runs past the end of the message at byte ${position}`,
      );
    }
    const length = bytes[position]!;
    if (length === 0) {
      if (end < 0) end = position + 1;
      return { name: labels.join("."), end };
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (position + 1 >= bytes.length)
        return failedRead(
          labels,
          end,
          position,
          bytes,
          "name pointer is cut off by the end of the message",
        );
      const target = ((length & 0x3f) << 8) | bytes[position + 1]!;
      if (end < 0) end = position + 2;
      if (++jumps > MAX_JUMPS)
        return failedRead(labels, end, position, bytes, "name pointers form a loop");
      if (target >= bytes.length) {
        return failedRead(
          labels,
          end,
          position,
          bytes,
          `name pointer to byte ${target} is beyond the ${bytes.length}-byte message`,
        );
      }
      position = target;
      continue;
    }
    if (kind !== 0)
      return failedRead(
        labels,
        end,
        position,
        bytes,
        `label type 0x${kind.toString(16)} is not supported`,
      );
    if (position + 1 + length > bytes.length) {
      return failedRead(
        labels,
        end,
        position,
        bytes,
        `a ${length}-byte label runs past the end of the message`,
      );
    }
    nameBytes += length + 1;
    if (nameBytes > MAX_NAME_BYTES)
      return failedRead(labels, end, position, bytes, "name is longer than 255 bytes");
    labels.push(labelText(bytes, position + 1, length));
    position += length + 1;
  }
}

// A module-level function rather than one nested in readName: tsx (esbuild keepNames) names each
// nested function with a defineProperty call on every readName call.
function failedRead(
  labels: string[],
  end: number,
  position: number,
  bytes: Uint8Array,
  error: string,
): NameRead {
  return { name: labels.join("."), end: end < 0 ? Math.min(position, bytes.length) : end, error };
}

// Printable ASCII as is; anything else (and a dot inside a label) escaped like dig's "\ddd".
function labelText(bytes: Uint8Array, start: number, length: number): string {
  let text = "";
  for (let i = start; i < start + length; i++) {
    const c = bytes[i]!;
    if (c > 32 && c < 127 && c !== 46 && c !== 92) text += String.fromCharCode(c);
    else text += "\\" + String(c).padStart(3, "0");
  }
  return text;
}

/**
 * Splits a name into label bytes, validating RFC 1035 limits. Throws a RangeError. The name is
 * in the text form readName gives (RFC 1035 §5.1's master-file escapes): "\\ddd" is the byte
 * ddd (decimal) and "\\X" the character X, so a dot or backslash escaped inside a label stays
 * in it, and `nameLabels(readName(…).name)` gives back the bytes that were read. Other
 * characters are UTF-8.
 */
export function nameLabels(name: string): Uint8Array[] {
  const labels: Uint8Array[] = [];
  let label: number[] = [];
  let total = 1;
  const endLabel = () => {
    if (label.length === 0) throw new RangeError(`name "${name}" has an empty label`);
    if (label.length > 63) throw new RangeError(`label in "${name}" is longer than 63 bytes`);
    total += label.length + 1;
    labels.push(Uint8Array.from(label));
    label = [];
  };
  if (name === "" || name === ".") return labels;
  for (let i = 0; i < name.length; i++) {
    const char = name[i]!;
    if (char === ".") {
      endLabel();
      if (i === name.length - 1) break; // the root's dot ends a fully qualified name
      continue;
    }
    if (char === "\\") {
      const digits = /^[0-9]{3}/.exec(name.slice(i + 1, i + 4))?.[0];
      if (digits !== undefined) {
        const byte = Number(digits);
        if (byte > 255) throw new RangeError(`"\\${digits}" in "${name}" is not a byte`);
        label.push(byte);
        i += 3;
        continue;
      }
      if (i + 1 >= name.length) throw new RangeError(`name "${name}" ends with a lone "\\"`);
      i++;
    }
    const codePoint = name.codePointAt(i)!;
    if (codePoint < 0x80) label.push(codePoint);
    else {
      const encoded = ENCODER.encode(String.fromCodePoint(codePoint));
      label.push(...encoded);
      if (codePoint > 0xffff) i++;
    }
  }
  if (label.length > 0 || !name.endsWith(".")) endLabel();
  if (total > MAX_NAME_BYTES) throw new RangeError(`name "${name}" is longer than 255 bytes`);
  return labels;
}

const ENCODER = new TextEncoder();
const LABEL_DECODER = new TextDecoder();

/**
 * A name as Wireshark shows it: label bytes as UTF-8 (invalid bytes become U+FFFD), dots and
 * spaces inside labels left as they are. Ambiguous ("a.b" may be one label), so only for the
 * Wireshark-facing value of a field; readName's escaped form stays the display. Assumes the
 * name was already read without error by readName.
 */
export function wiresharkNameText(bytes: Uint8Array, offset: number): string {
  const labels: string[] = [];
  let position = offset;
  for (let jumps = 0; jumps <= MAX_JUMPS && position < bytes.length;) {
    const length = bytes[position]!;
    if (length === 0) break;
    if ((length & 0xc0) === 0xc0) {
      position = ((length & 0x3f) << 8) | (bytes[position + 1] ?? 0);
      jumps++;
      continue;
    }
    labels.push(LABEL_DECODER.decode(bytes.subarray(position + 1, position + 1 + length)));
    position += length + 1;
  }
  return labels.length === 0 ? "<Root>" : labels.join(".");
}
