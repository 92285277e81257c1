// What the checks of this lesson read: Alice's file-receiver state, the photo, and the
// learner's packets to Alice.
import {
  type CheckContext,
  deliveredTo,
  payloadText,
  printed,
  sentBy,
  type TracedPacket,
} from "../../src/grading/kit/index.ts";
import { ALICE_PORT, MAX_CHUNK_DATA, MTU } from "./network.ts";
import { PHOTO_NAME, sha256Hex } from "./photo.ts";

/** The state netsim's file-receiver reports (src/netsim/peers/file-receiver.ts). */
export interface ReceiverState {
  chunkCount: number | null;
  chunks: {
    index: number;
    count: number;
    length: number;
    duplicate: boolean;
    outOfOrder: boolean;
  }[];
  missing: number[];
  wholeDatagrams: { length: number; sha256: string }[];
  complete: boolean;
  assembledBytes: number;
  sha256: string | null;
  problems: string[];
}

export function receiver({ run }: CheckContext): ReceiverState {
  const state = run.peers["alice"] as ReceiverState | undefined;
  if (!state || !Array.isArray(state.chunks))
    throw new Error("Alice's file-receiver state is missing");
  return state;
}

export function photo({ files }: CheckContext): { bytes: Uint8Array; sha256: string } {
  const bytes = files[PHOTO_NAME];
  if (!bytes) throw new Error(`the exercise has no ${PHOTO_NAME}`);
  return { bytes, sha256: sha256Hex(bytes) };
}

export function aliceAddress({ topology }: CheckContext): string {
  return topology.hosts.find((h) => h.name === "alice")!.address;
}

/** Every packet the learner put on the wire towards Alice (fragments included). */
export function sentToAlice(context: CheckContext): TracedPacket[] {
  const alice = aliceAddress(context);
  return sentBy(context.run.packets, context.topology.learnerHost).filter(
    (p) => p.ip?.destination === alice,
  );
}

export function photoArrived(context: CheckContext): boolean {
  const state = receiver(context);
  return state.complete && state.sha256 === photo(context).sha256;
}

/** Fragments of the learner's datagrams to Alice: the network split them. */
export function fragmentsSent(context: CheckContext): TracedPacket[] {
  return sentToAlice(context).filter((p) => p.fragment);
}

/** "A datagram of 1,472 bytes …" feedback for a learner who let IP fragment in a chunk exercise. */
export function fragmentedFeedback(context: CheckContext): string {
  const first = fragmentsSent(context)[0]!;
  const udpLength = first.udp?.length;
  const size = udpLength === undefined ? "" : ` (its UDP datagram was ${udpLength} bytes)`;
  return `IP fragmented a datagram of yours to Alice${size}: it did not fit the ${MTU}-byte MTU of her link. Keep each chunk's data at most ${MAX_CHUNK_DATA} bytes (${MTU} − 20 IPv4 − 8 UDP − 4 chunk header).`;
}

/** Alice's answers that reached the learner, as text. */
export function aliceReplies(context: CheckContext): string[] {
  const alice = aliceAddress(context);
  return deliveredTo(context.run.packets, context.topology.learnerHost)
    .filter((p) => p.ip?.source === alice && p.udp?.sourcePort === ALICE_PORT)
    .map((p) => payloadText(p.udpPayload, 200));
}

export function printedConfirmation(context: CheckContext): string | undefined {
  const text = printed(context.run);
  return aliceReplies(context).find(
    (reply) => reply.startsWith("complete") && text.includes(reply),
  );
}

/** "3, 7 and 12", or "3, 7, 12 and 9 more". */
export function listIndexes(indexes: number[]): string {
  const shown = indexes.slice(0, 5).map(String);
  const rest = indexes.length - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} more`;
  return shown.length > 1
    ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`
    : (shown[0] ?? "");
}
