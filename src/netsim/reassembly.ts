// Reassembly at the destination (RFC 791 §3.2; the hole bookkeeping follows RFC 815 in
// spirit). Datagrams are keyed by source, destination, protocol and identification. Bytes that
// arrive first win: duplicates and overlapping fragments add nothing (RFC 5722 makes the same
// choice stricter for IPv6). Held bytes are capped per host, and an incomplete datagram is
// dropped when its timer runs out.
import type { Ipv4Header } from "../protocols/ipv4.ts";
import type { InFlight } from "./packet-log.ts";
import type { VirtualMicros } from "./types.ts";

/** Linux's default (net.ipv4.ipfrag_time); RFC 791 suggests 15 s as a lower bound. */
export const REASSEMBLY_TIMEOUT_US = 30_000_000;

export interface PartialDatagram {
  source: string;
  destination: string;
  protocol: number;
  identification: number;
  /** Non-overlapping, sorted pieces of the payload. */
  pieces: { start: number; data: Uint8Array }[];
  /** Payload length, once the fragment with More Fragments clear has arrived. */
  payloadLength: number | undefined;
  heldBytes: number;
  /** The fragment with offset 0, kept for the ICMP error that quotes it. */
  firstFragment: Uint8Array | undefined;
  /** Fragments whose packet events wait for the datagram's fate. */
  waiting: InFlight[];
  startedUs: VirtualMicros;
}

export type ReassemblyResult =
  | { kind: "held" }
  | { kind: "complete"; payload: Uint8Array; datagram: PartialDatagram }
  | { kind: "rejected"; reason: "malformed" | "reassembly-limit"; detail: string };

export interface Reassembly {
  add(header: Ipv4Header, payload: Uint8Array, packet: InFlight): ReassemblyResult;
}

export function createReassembly(options: {
  maxHeldBytes: number;
  timeoutUs: VirtualMicros;
  now: () => VirtualMicros;
  schedule: (atUs: VirtualMicros, run: () => void) => void;
  onTimeout: (datagram: PartialDatagram) => void;
}): Reassembly {
  const partials = new Map<string, PartialDatagram>();
  let heldBytes = 0;

  const forget = (key: string, datagram: PartialDatagram): void => {
    partials.delete(key);
    heldBytes -= datagram.heldBytes;
  };

  return {
    add(header, payload, packet) {
      const start = header.fragmentOffset * 8;
      const end = start + payload.length;
      const label = `fragment at offset ${start} of datagram 0x${header.identification.toString(16).padStart(4, "0")}`;
      if (header.moreFragments && payload.length % 8 !== 0) {
        return reject(
          "malformed",
          `${label} carries ${payload.length} bytes; all but the last fragment must carry a multiple of 8`,
        );
      }
      if (end > 65_515) {
        return reject(
          "malformed",
          `${label} would end at byte ${end}, beyond the largest IPv4 payload`,
        );
      }
      const key = `${header.source}>${header.destination}/${header.protocol}#${header.identification}`;
      let datagram = partials.get(key);
      const fresh = datagram === undefined;
      datagram ??= {
        source: header.source,
        destination: header.destination,
        protocol: header.protocol,
        identification: header.identification,
        pieces: [],
        payloadLength: undefined,
        heldBytes: 0,
        firstFragment: undefined,
        waiting: [],
        startedUs: options.now(),
      };
      const length = datagram.payloadLength;
      if (!header.moreFragments) {
        if (length !== undefined && length !== end) {
          return reject(
            "malformed",
            `${label} says the datagram ends at byte ${end}, an earlier one said ${length}`,
          );
        }
        const beyond = datagram.pieces.at(-1);
        if (beyond && beyond.start + beyond.data.length > end) {
          return reject(
            "malformed",
            `${label} ends the datagram at byte ${end}, but bytes beyond it already arrived`,
          );
        }
      } else if (length !== undefined && end > length) {
        return reject(
          "malformed",
          `${label} reaches byte ${end}, past the datagram's end at ${length}`,
        );
      }
      const additions = uncoveredParts(datagram.pieces, start, payload);
      const added = additions.reduce((sum, part) => sum + part.data.length, 0);
      if (heldBytes + added > options.maxHeldBytes) {
        return reject(
          "reassembly-limit",
          `${label} would make this host hold more than ${options.maxHeldBytes} bytes of incomplete datagrams`,
        );
      }
      if (additions.length > 0) {
        datagram.pieces.push(...additions);
        datagram.pieces.sort((x, y) => x.start - y.start);
      }
      if (fresh) {
        partials.set(key, datagram);
        const owner = datagram;
        options.schedule(options.now() + options.timeoutUs, () => {
          if (partials.get(key) !== owner) return;
          forget(key, owner);
          options.onTimeout(owner);
        });
      }
      datagram.heldBytes += added;
      heldBytes += added;
      if (!header.moreFragments) datagram.payloadLength = end;
      if (start === 0 && datagram.firstFragment === undefined)
        datagram.firstFragment = packet.bytes;
      datagram.waiting.push(packet);
      if (datagram.payloadLength === undefined || datagram.heldBytes !== datagram.payloadLength) {
        return { kind: "held" };
      }
      forget(key, datagram);
      const whole = new Uint8Array(datagram.payloadLength);
      for (const piece of datagram.pieces) whole.set(piece.data, piece.start);
      return { kind: "complete", payload: whole, datagram };
    },
  };
}

function reject(reason: "malformed" | "reassembly-limit", detail: string): ReassemblyResult {
  return { kind: "rejected", reason, detail };
}

/** The parts of [start, start + data.length) that no piece covers yet. */
function uncoveredParts(
  pieces: readonly { start: number; data: Uint8Array }[],
  start: number,
  data: Uint8Array,
): { start: number; data: Uint8Array }[] {
  const end = start + data.length;
  const parts: { start: number; data: Uint8Array }[] = [];
  let cursor = start;
  for (const piece of pieces) {
    const pieceEnd = piece.start + piece.data.length;
    if (pieceEnd <= cursor) continue;
    if (piece.start >= end) break;
    if (piece.start > cursor) {
      parts.push({ start: cursor, data: data.subarray(cursor - start, piece.start - start) });
    }
    cursor = pieceEnd;
    if (cursor >= end) break;
  }
  if (cursor < end) parts.push({ start: cursor, data: data.subarray(cursor - start) });
  return parts;
}
