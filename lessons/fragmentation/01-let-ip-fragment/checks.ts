import { about, defineChecks, fail, pass } from "../../../src/grading/kit/index.ts";
import {
  fragmentsSent,
  photo,
  photoArrived,
  printedConfirmation,
  receiver,
  sentToAlice,
} from "../feedback.ts";
import { MTU } from "../network.ts";
import { sha256Hex } from "../photo.ts";

export default defineChecks([
  {
    id: "sent-one-datagram",
    title: "You sent the photo in one datagram, and IP fragmented it",
    weight: 1,
    required: true,
    check: (context) => {
      const fragments = fragmentsSent(context);
      if (fragments[0]) {
        // The first fragment, and the flag that says more of its datagram follows.
        return about(fragments[0], "ipv4.flags.moreFragments").pass(
          `IP cut your datagram into fragments of at most ${MTU} bytes (${fragments.length} packets on the wire).`,
        );
      }
      const sent = sentToAlice(context);
      if (sent.length === 0) {
        return fail(
          "Nothing you sent went to Alice.",
          "Look up alice.packetlab.test, then send to that address, port 1000.",
        );
      }
      if (sent.length > 1) {
        return about(sent[0]).fail(
          `You sent Alice ${sent.length} datagrams, each small enough for one packet: in this exercise, send the whole photo in a single sendTo() and let IP split it.`,
        );
      }
      const length = sent[0]!.udpPayload.length;
      return about(sent[0], "udp.length").fail(
        `Your datagram to Alice carried only ${length} bytes, so nothing needed fragmenting.`,
        'Send the photo\'s bytes, readFile("photo.bmp"), not its name.',
      );
    },
  },
  {
    id: "photo-arrived",
    title: "Alice put the photo back together, byte for byte",
    weight: 3,
    required: true,
    check: (context) => {
      const expected = photo(context);
      if (photoArrived(context))
        return pass(`Alice received all ${expected.bytes.length} bytes of the photo, intact.`);
      const state = receiver(context);
      const last = state.wholeDatagrams.at(-1);
      if (!last) {
        const dropped = context.run.packets.find(
          (e) =>
            e.to === "alice" &&
            e.fate.status === "dropped" &&
            e.fate.reason === "reassembly-timeout",
        );
        return dropped && dropped.fate.status === "dropped"
          ? about(dropped).fail(
              `Alice's computer never completed your datagram: ${dropped.fate.detail}.`,
            )
          : fail("Alice received no file.");
      }
      // Bytes read as Latin-1 text and sent as UTF-8: each byte above 127 becomes two.
      const asText = new TextEncoder().encode(Buffer.from(expected.bytes).toString("latin1"));
      if (last.sha256 === sha256Hex(asText)) {
        return fail(
          `Alice received the photo turned into text: as UTF-8, every byte above 127 became two bytes (${last.length} instead of ${expected.bytes.length}).`,
          "Send the bytes readFile() returns, without converting them to text.",
        );
      }
      if (last.length !== expected.bytes.length) {
        return fail(
          `Alice received a ${last.length}-byte file, but the photo is ${expected.bytes.length} bytes.`,
          'Send all of readFile("photo.bmp"), as it is.',
        );
      }
      return fail(
        `Alice received ${last.length} bytes, the photo's size, but not the photo's bytes (their SHA-256 differs).`,
        "Send the bytes readFile() returns, without converting them to text.",
      );
    },
  },
  {
    id: "printed-confirmation",
    title: "Bonus: you printed Alice's confirmation",
    weight: 1,
    required: false,
    check: (context) =>
      printedConfirmation(context)
        ? pass("You printed Alice's confirmation.")
        : fail(
            "You did not print Alice's “complete: …” answer.",
            "After sending, wait with recvFrom() and print decodeText(reply).",
          ),
  },
]);
