// Lesson 2's receiver: a file arrives as one big datagram (the network fragments it, this
// host's IP layer reassembles it) or as numbered chunks. The chunk format is documented on
// PeerSpec "file-receiver" in ../types.ts: u16 index, u16 count (big-endian), then data.
import { createHash } from "node:crypto";
import type { ReceivedDatagram } from "../types.ts";
import { formatSocketAddress, type Peer, type PeerContext } from "./peer.ts";

export type FileReceiverMode = "whole" | "chunks" | "either";

interface ChunkSeen {
  atUs: number;
  from: string;
  index: number;
  count: number;
  length: number;
  duplicate: boolean;
  outOfOrder: boolean;
}

interface WholeSeen {
  atUs: number;
  from: string;
  length: number;
  sha256: string;
}

const CHUNK_HEADER = 4;

export function createFileReceiver(
  context: PeerContext,
  port: number,
  options: { expectedBytes?: number; mode?: FileReceiverMode },
): Peer {
  const mode = options.mode ?? "either";
  const expected = options.expectedBytes;
  const chunks: ChunkSeen[] = [];
  const wholes: WholeSeen[] = [];
  const problems: string[] = [];
  const data = new Map<number, Uint8Array>();
  let count: number | undefined;
  let highestIndex = -1;
  let assembled: Uint8Array | undefined;
  const encoder = new TextEncoder();

  const reply = (text: string, to: ReceivedDatagram["from"]): void =>
    context.send(encoder.encode(text), to);
  const describe = (bytes: Uint8Array): string =>
    `complete: ${bytes.length} bytes, sha256 ${sha256(bytes)}` +
    (expected !== undefined && bytes.length !== expected ? ` (expected ${expected} bytes)` : "");

  const receiveWhole = (datagram: ReceivedDatagram): void => {
    const digest = sha256(datagram.payload);
    wholes.push({
      atUs: context.now(),
      from: formatSocketAddress(datagram.from),
      length: datagram.payload.length,
      sha256: digest,
    });
    assembled = datagram.payload;
    reply(describe(datagram.payload), datagram.from);
  };

  const receiveChunk = (datagram: ReceivedDatagram): void => {
    const payload = datagram.payload;
    const index = (payload[0]! << 8) | payload[1]!;
    const chunkCount = (payload[2]! << 8) | payload[3]!;
    if (count !== undefined && chunkCount !== count) {
      problems.push(
        `chunk ${index} says there are ${chunkCount} chunks, earlier chunks said ${count}; ignored`,
      );
      reply(`chunk ${index} ignored: count ${chunkCount} differs from ${count}`, datagram.from);
      return;
    }
    count = chunkCount;
    const duplicate = data.has(index);
    chunks.push({
      atUs: context.now(),
      from: formatSocketAddress(datagram.from),
      index,
      count: chunkCount,
      length: payload.length - CHUNK_HEADER,
      duplicate,
      outOfOrder: index < highestIndex,
    });
    highestIndex = Math.max(highestIndex, index);
    if (!duplicate) data.set(index, payload.slice(CHUNK_HEADER));
    if (data.size === count && assembled === undefined) {
      const parts = Array.from({ length: count }, (_, i) => data.get(i)!);
      assembled = concat(parts);
    }
    reply(
      assembled && data.size === count ? describe(assembled) : `chunk ${index}/${count} received`,
      datagram.from,
    );
  };

  const isChunk = (payload: Uint8Array): boolean => {
    if (payload.length < CHUNK_HEADER) return false;
    const index = (payload[0]! << 8) | payload[1]!;
    const chunkCount = (payload[2]! << 8) | payload[3]!;
    if (chunkCount === 0 || index >= chunkCount) return false;
    if (mode === "chunks") return true;
    return payload.length !== expected;
  };

  context.listen(port, (datagram) => {
    if (mode !== "whole" && isChunk(datagram.payload)) receiveChunk(datagram);
    else if (mode === "chunks") {
      problems.push(
        `a ${datagram.payload.length}-byte datagram has no valid chunk header; ignored`,
      );
      reply("ignored: not a chunk (expected u16 index, u16 count, then data)", datagram.from);
    } else receiveWhole(datagram);
  });

  return {
    state: () => {
      const missing: number[] = [];
      if (count !== undefined) for (let i = 0; i < count; i++) if (!data.has(i)) missing.push(i);
      return {
        kind: "file-receiver",
        port,
        mode,
        expectedBytes: expected ?? null,
        chunkCount: count ?? null,
        chunks: chunks.map((c) => ({ ...c })),
        missing,
        wholeDatagrams: wholes.map((w) => ({ ...w })),
        complete:
          assembled !== undefined && (expected === undefined || assembled.length === expected),
        assembledBytes: assembled?.length ?? 0,
        sha256: assembled ? sha256(assembled) : null,
        problems: [...problems],
      };
    },
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
