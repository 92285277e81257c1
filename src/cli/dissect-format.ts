// How `packetlab dissect` prints packets: one line per packet as tshark does by default
// (No., Time, Source → Destination, Protocol, Length, Info), each packet's layers and fields
// (-V, like tshark -V), and the bytes as a hex dump (-x, like tshark -x).
import type { Dissection, Field, Layer } from "../protocols/types.ts";

export interface Dissected {
  label: string;
  bytes: Uint8Array;
  timeUs?: number;
  dissection: Dissection;
}

// Wireshark's Protocol column names (Wireshark calls every port-53 payload DNS).
const PROTOCOL: Record<Layer["protocol"], string> = {
  ipv4: "IPv4",
  udp: "UDP",
  tcp: "TCP",
  icmp: "ICMP",
  dns: "DNS",
  "name-lookup": "DNS",
  payload: "IPv4",
};

function field(layer: Layer | undefined, name: string): string {
  const found = layer?.fields.find((f) => f.name === name);
  return found === undefined ? "?" : String(found.value);
}

/** One packet's line of the list; `firstUs` is the time the list's times count from. */
export function formatListLine(item: Dissected, number: number, firstUs: number | undefined) {
  const { dissection } = item;
  const own = dissection.layers.filter((layer) => !layer.quoted);
  const ip = own.find((layer) => layer.protocol === "ipv4");
  const top = own.findLast((layer) => layer.protocol === dissection.topProtocol) ?? own.at(-1);
  const malformed = dissection.layers.some((layer) => layer.errors.length > 0);
  const time =
    item.timeUs === undefined || firstUs === undefined
      ? ""
      : ((item.timeUs - firstUs) / 1e6).toFixed(6);
  const info = `${top?.summary ?? dissection.summary}${malformed ? " [malformed]" : ""}`;
  return [
    String(number).padStart(5),
    time.padStart(11),
    `${field(ip, "source").padStart(15)} → ${field(ip, "destination").padEnd(15)}`,
    PROTOCOL[dissection.topProtocol].padEnd(5),
    String(item.bytes.length).padStart(5),
    info,
  ].join(" ");
}

export function formatList(items: Dissected[], hexDump: boolean): string {
  const firstUs = items.find((item) => item.timeUs !== undefined)?.timeUs;
  return items
    .map((item, index) => {
      const line = formatListLine(item, index + 1, firstUs);
      return hexDump ? `${line}\n\n${formatHexDump(item.bytes)}\n` : `${line}\n`;
    })
    .join("");
}

/** Each layer with its fields (bit offsets, titles, values) and the problems found in it. */
export function formatDetail(item: Dissected, hexDump: boolean): string {
  const { dissection } = item;
  const lines = [`${item.label} (${item.bytes.length} bytes): ${dissection.summary}`];
  for (const layer of dissection.layers) {
    const checksum = layer.checksum ? `  [checksum ${layer.checksum}]` : "";
    lines.push(
      `  ${layer.title} — bytes ${layer.byteOffset}–${layer.byteOffset + layer.byteLength - 1}${checksum}`,
    );
    const visit = (f: Field, depth: number) => {
      const label = `${"  ".repeat(depth)}${f.name}`.padEnd(24);
      const bits = `bits ${f.bitOffset}+${f.bitLength}`.padEnd(14);
      lines.push(`    ${label} ${bits} ${f.title}: ${f.display ?? String(f.value)}`);
      f.children?.forEach((child) => visit(child, depth + 1));
    };
    layer.fields.forEach((f) => visit(f, 0));
    for (const error of layer.errors) lines.push(`    ! ${error}`);
  }
  if (hexDump) lines.push("", formatHexDump(item.bytes).trimEnd());
  return lines.join("\n") + "\n\n";
}

/** tshark -x: offset, 16 bytes in hex, and the printable ones as text. */
export function formatHexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, "0"));
    const left = hex.slice(0, 8).join(" ");
    const right = hex.slice(8).join(" ");
    const text = [...row]
      .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "."))
      .join("");
    lines.push(
      `${offset.toString(16).padStart(4, "0")}  ${`${left}  ${right}`.padEnd(48)}   ${text}`,
    );
  }
  return lines.join("\n") + "\n";
}
