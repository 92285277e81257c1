// Payload bytes shown as text when they are printable ASCII: the text itself and the same text
// quoted as JSON (how the packet browser displays it). Both are made for every text payload, so
// they come from a single pass over the bytes.

const NOT_PRINTABLE = 0;
const PLAIN = 1;
/** Printable, but JSON writes it escaped: tab, line feed, carriage return, `"` and `\`. */
const ESCAPED = 2;
const KIND = new Uint8Array(256);
for (let c = 32; c <= 126; c++) KIND[c] = PLAIN;
for (const c of [9, 10, 13, 34, 92]) KIND[c] = ESCAPED;

// A TextDecoder is about twice as fast as String.fromCharCode.apply on a typed array. Only ASCII
// reaches it, which UTF-8 (its fastest decoding) maps byte for byte.
const ASCII = new TextDecoder();

export interface PrintableText {
  text: string;
  /** JSON.stringify(text). */
  quoted: string;
}

/** The bytes as text if they are printable ASCII (tabs and line breaks allowed), else null. */
export function printableText(bytes: Uint8Array): PrintableText | null {
  if (bytes.length === 0) return null;
  let escapes = false;
  for (let i = 0; i < bytes.length; i++) {
    const kind = KIND[bytes[i]!]!;
    if (kind === NOT_PRINTABLE) return null;
    if (kind === ESCAPED) escapes = true;
  }
  const text = ASCII.decode(bytes);
  // Most payloads need no escape, and then two quotes cost far less than a JSON.stringify call.
  return { text, quoted: escapes ? JSON.stringify(text) : '"' + text + '"' };
}
