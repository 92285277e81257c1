import {
  about,
  addressField,
  defineChecks,
  dropField,
  fail,
  nameAnswers,
} from "../../../src/grading/kit/index.ts";
import { askedFor, printedAddress } from "../feedback.ts";
import { ALICE_NAME, hostAddress } from "../network.ts";

export default defineChecks([
  {
    id: "asked-for-alice",
    title: `You asked the name server for ${ALICE_NAME}`,
    weight: 2,
    required: true,
    check: (context) => askedFor(context, ALICE_NAME),
  },
  {
    id: "received-answer",
    title: "The answer reached your socket",
    weight: 1,
    required: true,
    check: ({ run, topology }) => {
      const alice = hostAddress(topology, "alice");
      const answers = nameAnswers(run, topology);
      const right = answers.find((a) => a.address === alice);
      if (right) {
        return about(right.packet, addressField(right.packet)).pass(
          "The name server's answer with Alice's address reached your socket.",
        );
      }
      const dropped = run.packets.find(
        (event) =>
          event.from === "ns" &&
          event.to === topology.learnerHost &&
          event.fate.status === "dropped",
      );
      if (dropped && dropped.fate.status === "dropped") {
        return about(dropped, dropField({ event: dropped })).fail(
          `The name server answered, but your computer dropped the answer: ${dropped.fate.detail}.`,
          "Keep the socket open until recvFrom() has returned the answer.",
        );
      }
      return answers[0]
        ? about(answers[0].packet, addressField(answers[0].packet)).fail(
            "The name server answered, but not with Alice's address.",
            `Ask for exactly "${ALICE_NAME}".`,
          )
        : fail("No answer from the name server reached your computer.");
    },
  },
  {
    id: "printed-alice-address",
    title: "You printed Alice's address",
    weight: 2,
    required: true,
    check: (context) => printedAddress(context, hostAddress(context.topology, "alice"), "Alice"),
  },
]);
