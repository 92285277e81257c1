import {
  type CheckContext,
  defineChecks,
  deliveredTo,
  fail,
  pass,
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

/** The first chunk, in index order, whose data is not the photo's bytes at its place. */
function firstWrongChunk(context: CheckContext): string | null {
  const alice = aliceAddress(context);
  const chunks = new Map<number, Uint8Array>();
  for (const packet of deliveredTo(context.run.packets, "alice")) {
    if (
      packet.fragment ||
      packet.ip?.destination !== alice ||
      packet.udp?.destinationPort !== ALICE_PORT
    )
      continue;
    const payload = packet.udpPayload;
    if (payload.length < 4) continue;
    const index = (payload[0]! << 8) | payload[1]!;
    if (!chunks.has(index)) chunks.set(index, payload.subarray(4));
  }
  const bytes = photo(context).bytes;
  let offset = 0;
  for (const index of [...chunks.keys()].sort((a, b) => a - b)) {
    const data = chunks.get(index)!;
    const expected = bytes.subarray(offset, offset + data.length);
    if (expected.length !== data.length || expected.some((b, i) => b !== data[i])) {
      return `chunk ${index} should hold the photo's bytes ${offset}–${offset + data.length - 1}, but it holds different ones`;
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
      return fragmentsSent(context).length === 0
        ? pass("No datagram of yours needed fragmenting.")
        : fail(fragmentedFeedback(context));
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
      // A count whose low byte is 0 is the telltale of a little-endian 16-bit number.
      const swapped =
        (state.chunkCount & 0xff) === 0
          ? "Did you write the index and count little-endian? Network order is big-endian: DataView's setUint16 is big-endian unless you pass true."
          : "Send every index from 0 to count − 1.";
      return fail(
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
      return fail(
        `Alice put ${state.assembledBytes} bytes together, but they are not the photo${wrong ? `: ${wrong}` : ""}.`,
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
      const twice = chunks.find((c) => c.duplicate);
      if (twice) return fail(`Chunk ${twice.index} arrived twice.`);
      const late = chunks.find((c) => c.outOfOrder);
      if (late) return fail(`Chunk ${late.index} arrived after a chunk with a higher index.`);
      return printedConfirmation(context)
        ? pass("Every chunk arrived once, in order, and you printed Alice's confirmation.")
        : fail("You did not print Alice's “complete: …” answer.");
    },
  },
]);
