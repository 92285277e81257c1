// Application data: the lesson's name-lookup protocol, or plain bytes shown as text if printable.
import { placedField } from "./field.ts";
import { decodeNameAnswer, decodeNameRequest } from "./name-lookup.ts";
import { toHex } from "./hex.ts";
import { printableText } from "./text.ts";
import type { Field, Layer } from "./types.ts";

const PREVIEW_CHARACTERS = 60;

export function dissectPayload(bytes: Uint8Array, offset: number, title = "Data"): Layer {
  const printable = printableText(bytes);
  const text = printable?.text ?? null;
  const value = text ?? toHex(bytes);
  const quoted = printable?.quoted ?? null;
  const display = quoted ?? `${bytes.length} bytes`;
  return {
    protocol: "payload",
    title,
    byteOffset: offset,
    byteLength: bytes.length,
    fields:
      bytes.length > 0
        ? [
            placedField(
              "data",
              text !== null ? "Text" : "Data",
              "data.data",
              offset,
              bytes.length,
              value,
              display,
            ),
          ]
        : [],
    summary: quoted !== null ? preview(quoted) : display,
    errors: [],
  };
}

/** A request (a host name to port 53) or an answer (4 address bytes, or none, from port 53). */
export function dissectNameLookup(
  bytes: Uint8Array,
  offset: number,
  direction: "request" | "answer",
): Layer | null {
  if (direction === "request") {
    const name = decodeNameRequest(bytes);
    if (name === null) return null;
    return nameLookupLayer(
      "Name lookup request",
      bytes,
      offset,
      [placedField("name", "Requested Name", undefined, offset, bytes.length, name)],
      `who is ${name}?`,
    );
  }
  if (bytes.length === 0) {
    return nameLookupLayer("Name lookup answer", bytes, offset, [], "unknown name (empty answer)");
  }
  const address = decodeNameAnswer(bytes);
  if (address === null) return null;
  return nameLookupLayer(
    "Name lookup answer",
    bytes,
    offset,
    [placedField("address", "Address", undefined, offset, 4, address)],
    `address ${address}`,
  );
}

// One object literal rather than spreading a shared base into each: spreading was the slowest
// part of dissecting the lesson's name lookups. The key order (errors before fields) is the one
// the JSON has always had.
function nameLookupLayer(
  title: string,
  bytes: Uint8Array,
  offset: number,
  fields: Field[],
  summary: string,
): Layer {
  return {
    protocol: "name-lookup",
    title,
    byteOffset: offset,
    byteLength: bytes.length,
    errors: [],
    fields,
    summary,
  };
}

function preview(oneLine: string): string {
  return oneLine.length > PREVIEW_CHARACTERS
    ? oneLine.slice(0, PREVIEW_CHARACTERS - 1) + "…"
    : oneLine;
}
