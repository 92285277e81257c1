import { about, defineChecks, fail, pass } from "../../../src/grading/kit/index.ts";
import {
  fragmentedFeedback,
  fragmentsSent,
  listIndexes,
  photo,
  photoArrived,
  receiver,
  sentToAlice,
} from "../feedback.ts";

export default defineChecks([
  {
    id: "no-fragments",
    title: "Every chunk fitted in one packet",
    weight: 1,
    required: true,
    check: (context) => {
      if (sentToAlice(context).length === 0) return fail("Nothing you sent went to Alice.");
      const fragment = fragmentsSent(context)[0];
      if (!fragment) return pass("No datagram of yours needed fragmenting.");
      return about(fragment, "ipv4.flags.moreFragments").fail(
        `${fragmentedFeedback(context)} On a lossy link a fragmented datagram is lost as soon as any one of its fragments is, and IP cannot ask for that fragment again.`,
      );
    },
  },
  {
    id: "photo-arrived",
    title: "Alice received the whole photo, despite the losses",
    weight: 3,
    required: true,
    check: (context) => {
      const size = photo(context).bytes.length;
      if (photoArrived(context)) return pass(`Alice received the ${size}-byte photo, intact.`);
      const state = receiver(context);
      const lostFragments = fragmentsSent(context).filter(
        (p) => p.event.fate.status === "dropped" && p.event.fate.reason === "lost",
      );
      if (lostFragments[0] && state.chunkCount === null) {
        // The first fragment the link lost: the learner sees it dropped in the packet list.
        return about(lostFragments[0]).fail(
          `${lostFragments.length} of your fragments were lost on the link, so Alice's computer threw the rest of their datagram away after waiting for them (reassembly timeout): a fragmented datagram arrives whole or not at all.`,
          "Send chunks that fit one packet, and send a chunk again when Alice does not confirm it.",
        );
      }
      if (state.chunkCount !== null && state.missing.length > 0) {
        return fail(
          `Alice is missing chunk${state.missing.length > 1 ? "s" : ""} ${listIndexes(state.missing)} of ${state.chunkCount}: they were lost on the link.`,
          "After each chunk, wait for Alice's “chunk i/n received”; if it does not come in time, send the chunk again.",
        );
      }
      if (state.complete || state.assembledBytes > 0) {
        return fail(
          `Alice put ${state.assembledBytes} bytes together, but they are not the photo.`,
        );
      }
      return fail("Alice received no file.");
    },
  },
  {
    id: "efficient",
    title: "Bonus: less than twice the photo's size on the wire",
    weight: 1,
    required: false,
    check: (context) => {
      const size = photo(context).bytes.length;
      const sent = sentToAlice(context).reduce((sum, p) => sum + p.bytes.length, 0);
      return sent < 2 * size
        ? pass(`You put ${sent} bytes on the wire for a ${size}-byte photo.`)
        : fail(
            `You put ${sent} bytes on the wire for a ${size}-byte photo.`,
            "Resend only what was lost, not everything.",
          );
    },
  },
]);
