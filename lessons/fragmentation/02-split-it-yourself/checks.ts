import {
  about,
  type CheckContext,
  defineChecks,
  deliveredTo,
  fail,
  pass,
  type TracedPacket,
} from "../../../src/grading/kit/index.ts";
import {
  aliceAddress,
  fragmentedFeedback,
  fragmentsSent,
  listIndexes,
  photo,
  photoArrived,
  printedConfirmation,
  receiver,
  sentToAlice,
} from "../feedback.ts";
import { ALICE_PORT } from "../network.ts";

/** The chunks that reached Alice, in arrival order: index from the chunk header, and packet. */
function chunksArrived(context: CheckContext): { index: number; packet: TracedPacket }[] {
  const alice = aliceAddress(context);
  return deliveredTo(context.run.packets, "alice")
    .filter(
      (packet) =>
        !packet.fragment &&
        packet.ip?.destination === alice &&
        packet.udp?.destinationPort === ALICE_PORT &&
        packet.udpPayload.length >= 4,
    )
    .map((packet) => ({ index: (packet.udpPayload[0]! << 8) | packet.udpPayload[1]!, packet }));
}

/** The first chunk, in index order, whose data is not the photo's bytes at its place. */
function firstWrongChunk(context: CheckContext): { text: string; packet: TracedPacket } | null {
  const chunks = new Map<number, TracedPacket>();
  for (const { index, packet } of chunksArrived(context)) {
    if (!chunks.has(index)) chunks.set(index, packet);
  }
  const bytes = photo(context).bytes;
  let offset = 0;
  for (const index of [...chunks.keys()].sort((a, b) => a - b)) {
    const packet = chunks.get(index)!;
    const data = packet.udpPayload.subarray(4);
    const expected = bytes.subarray(offset, offset + data.length);
    if (expected.length !== data.length || expected.some((b, i) => b !== data[i])) {
      const text = `chunk ${index} should hold the photo's bytes ${offset}–${offset + data.length - 1}, but it holds different ones`;
      return { text, packet };
    }
    offset += data.length;
  }
  return null;
}

export default defineChecks([
  {
    id: "no-fragments",
    title: "Every chunk fitted in one packet",
    weight: 1,
    required: true,
    check: (context) => {
      if (sentToAlice(context).length === 0) {
        return fail(
          "Nothing you sent went to Alice.",
          "Send each chunk to Alice's address, port 1000.",
        );
      }
      const fragment = fragmentsSent(context)[0];
      return fragment
        ? about(fragment, "ipv4.flags.moreFragments").fail(fragmentedFeedback(context))
        : pass("No datagram of yours needed fragmenting.");
    },
  },
  {
    id: "all-chunks-arrived",
    title: "Alice received every chunk",
    weight: 2,
    required: true,
    check: (context) => {
      const state = receiver(context);
      const problem = state.problems[0] ? ` Alice says: “${state.problems[0]}”.` : "";
      if (state.chunkCount === null) return fail(`Alice received no chunks.${problem}`);
      if (state.missing.length === 0) return pass(`Alice received all ${state.chunkCount} chunks.`);
      // A count whose low byte is 0 is the telltale of a little-endian 16-bit number: the first
      // chunk's header bytes show it. Otherwise the chunks missing are packets never sent.
      const littleEndian = (state.chunkCount & 0xff) === 0;
      const swapped = littleEndian
        ? "Did you write the index and count little-endian? Network order is big-endian: DataView's setUint16 is big-endian unless you pass true."
        : "Send every index from 0 to count − 1.";
      return about(littleEndian ? chunksArrived(context)[0]?.packet : undefined, "payload").fail(
        `Alice is missing chunk${state.missing.length > 1 ? "s" : ""} ${listIndexes(state.missing)} of ${state.chunkCount}.${problem}`,
        swapped,
      );
    },
  },
  {
    id: "photo-intact",
    title: "The chunks make up the photo, byte for byte",
    weight: 2,
    required: true,
    check: (context) => {
      const expected = photo(context);
      if (photoArrived(context))
        return pass(`Alice put the ${expected.bytes.length}-byte photo together, intact.`);
      const state = receiver(context);
      if (!state.complete && state.assembledBytes === 0) {
        return fail("Alice could not put a file together yet: chunks are missing (see above).");
      }
      if (state.assembledBytes !== expected.bytes.length) {
        return fail(
          `Alice's chunks add up to ${state.assembledBytes} bytes, but the photo is ${expected.bytes.length} bytes.`,
        );
      }
      const wrong = firstWrongChunk(context);
      return about(wrong?.packet, "payload").fail(
        `Alice put ${state.assembledBytes} bytes together, but they are not the photo${wrong ? `: ${wrong.text}` : ""}.`,
        "Chunk i carries the photo's bytes from i × 968 on.",
      );
    },
  },
  {
    id: "clean-transfer",
    title: "Bonus: chunks in order, none twice, and Alice's confirmation printed",
    weight: 1,
    required: false,
    check: (context) => {
      const chunks = receiver(context).chunks;
      const arrived = chunksArrived(context);
      const twice = chunks.find((c) => c.duplicate);
      if (twice) {
        // The second arrival is the one that should not have been sent.
        const again = arrived.filter((c) => c.index === twice.index)[1]?.packet;
        return about(again, "payload").fail(`Chunk ${twice.index} arrived twice.`);
      }
      const late = chunks.find((c) => c.outOfOrder);
      if (late) {
        const at = arrived.findIndex(
          (c, i) => c.index === late.index && arrived.slice(0, i).some((e) => e.index > c.index),
        );
        return about(arrived[at]?.packet, "payload").fail(
          `Chunk ${late.index} arrived after a chunk with a higher index.`,
        );
      }
      return printedConfirmation(context)
        ? pass("Every chunk arrived once, in order, and you printed Alice's confirmation.")
        : fail("You did not print Alice's “complete: …” answer.");
    },
  },
]);
