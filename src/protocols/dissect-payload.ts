// Application data: the lesson's name-lookup protocol, or plain bytes shown as text if printable.
import { placedField } from "./field.ts";
import { decodeNameAnswer, decodeNameRequest } from "./name-lookup.ts";
import { toHex } from "./hex.ts";
import { printableText } from "./text.ts";
import type { Layer } from "./types.ts";

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
  const base = {
    protocol: "name-lookup" as const,
    title: `Name lookup ${direction}`,
    byteOffset: offset,
    byteLength: bytes.length,
    errors: [],
  };
  if (direction === "request") {
    const name = decodeNameRequest(bytes);
    if (name === null) return null;
    return {
      ...base,
      fields: [placedField("name", "Requested Name", undefined, offset, bytes.length, name)],
      summary: `who is ${name}?`,
    };
  }
  if (bytes.length === 0) {
    return { ...base, fields: [], summary: "unknown name (empty answer)" };
  }
  const address = decodeNameAnswer(bytes);
  if (address === null) return null;
  return {
    ...base,
    fields: [placedField("address", "Address", undefined, offset, 4, address)],
    summary: `address ${address}`,
  };
}

function preview(oneLine: string): string {
  return oneLine.length > PREVIEW_CHARACTERS
    ? oneLine.slice(0, PREVIEW_CHARACTERS - 1) + "…"
    : oneLine;
}
