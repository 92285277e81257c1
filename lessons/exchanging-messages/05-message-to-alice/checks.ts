// The final test is graded from the packet trace: what the learner asked, what reached Alice.
import {
  about,
  type CheckContext,
  defineChecks,
  deliveredTo,
  dropField,
  fail,
  payloadText,
  printed,
  sentBy,
  type TracedPacket,
} from "../../../src/grading/kit/index.ts";
import { answeredAddress, askedFor, whyDropped } from "../feedback.ts";
import { ALICE_NAME, ALICE_PORT, hostAddress, NAME_SERVER_ADDRESS } from "../network.ts";

/** Datagrams that arrived at Alice's host, addressed to her address and port. */
function reachedAlice({ run, topology }: CheckContext): TracedPacket[] {
  const alice = hostAddress(topology, "alice");
  return deliveredTo(run.packets, "alice").filter(
    (p) => p.ip?.destination === alice && p.udp?.destinationPort === ALICE_PORT,
  );
}

/** What the learner sent that was not a question for the name server. */
function otherDatagrams({ run, topology }: CheckContext): TracedPacket[] {
  return sentBy(run.packets, topology.learnerHost).filter(
    (p) => p.ip && !(p.ip.destination === NAME_SERVER_ADDRESS && p.udp?.destinationPort === 53),
  );
}

export default defineChecks([
  {
    id: "asked-for-alice",
    title: "You asked the name server for Alice's address",
    weight: 2,
    required: true,
    check: (context) => askedFor(context, ALICE_NAME),
  },
  {
    id: "reached-alice",
    title: "A datagram reached Alice's address on port 1000",
    weight: 3,
    required: true,
    check: (context) => {
      const alice = hostAddress(context.topology, "alice");
      const reached = reachedAlice(context)[0];
      if (reached) {
        return about(reached, "udp.destinationPort").pass(
          `Your datagram reached Alice at ${alice}, port ${ALICE_PORT}.`,
        );
      }
      const sent = otherDatagrams(context);
      const toAlice = sent.filter((p) => p.ip?.destination === alice);
      const wrongPort = toAlice.find((p) => p.udp && p.udp.destinationPort !== ALICE_PORT);
      if (wrongPort?.udp) {
        return about(wrongPort, "udp.destinationPort").fail(
          `Alice listens on port ${ALICE_PORT}; you sent to ${wrongPort.udp.destinationPort}.`,
          `Send to her address and port ${ALICE_PORT}.`,
        );
      }
      if (toAlice[0]) {
        return about(toAlice[0], dropField(toAlice[0])).fail(
          `Your datagram to Alice did not arrive: ${whyDropped(toAlice[0])}.`,
        );
      }
      const elsewhere = sent[0];
      if (elsewhere?.ip) {
        const where = elsewhere.udp
          ? `${elsewhere.ip.destination} (port ${elsewhere.udp.destinationPort})`
          : elsewhere.ip.destination;
        // Alice's address is only named when the name server already told it in this run.
        const destination = about(elsewhere, "ipv4.destination");
        return answeredAddress(context, alice)
          ? destination.fail(
              `You sent to ${where}, but the name server said Alice is at ${alice} in this session.`,
              "Send to the address from the name server's answer instead of one written in your code.",
            )
          : destination.fail(
              `You sent to ${where}, but Alice is not at that address in this session.`,
              "Her address differs from one learner to the next: ask the name server for it while your program runs.",
            );
      }
      return fail(
        "Nothing your program sent went to Alice.",
        `After the name server answers, send your message to that address, port ${ALICE_PORT}.`,
      );
    },
  },
  {
    id: "message-not-empty",
    title: "The datagram carried a message",
    weight: 1,
    required: true,
    check: (context) => {
      const arrived = reachedAlice(context);
      const withText = arrived.find((p) => p.udpPayload.length > 0);
      if (withText) {
        return about(withText, "payload").pass(
          `Alice got your message: "${payloadText(withText.udpPayload)}".`,
        );
      }
      // An empty datagram's length field says so: 8, the header alone.
      return arrived[0]
        ? about(arrived[0], "udp.length").fail(
            "Your datagram reached Alice, but it was empty: there was no message in it.",
            "Pass your message as the first argument of sendTo().",
          )
        : fail("No datagram reached Alice, so there is no message to read yet.");
    },
  },
  {
    id: "printed-reply",
    title: "Bonus: you printed Alice's answer",
    weight: 1,
    required: false,
    check: ({ run, topology }) => {
      const alice = hostAddress(topology, "alice");
      const replies = deliveredTo(run.packets, topology.learnerHost).filter(
        (p) => p.ip?.source === alice && p.udp?.sourcePort === ALICE_PORT,
      );
      if (replies.length === 0) {
        return fail(
          "Alice's answer did not reach your program.",
          "Keep the socket open after sending and wait for her answer with recvFrom().",
        );
      }
      const text = printed(run);
      const answer = replies.find((p) => text.includes(payloadText(p.udpPayload, 500)));
      return answer
        ? about(answer, "payload").pass(
            `You printed Alice's answer: "${payloadText(answer.udpPayload, 500)}".`,
          )
        : about(replies[0], "payload").fail(
            "Alice answered, but your program did not print her answer.",
            "decodeText(payload) turns the bytes of her answer into text you can print.",
          );
    },
  },
]);
