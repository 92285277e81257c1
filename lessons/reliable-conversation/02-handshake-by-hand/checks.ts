// Graded from the trace: the learner's SYN, Alice's SYN-ACK, and the learner's ACK.
import {
  about,
  type CheckContext,
  defineChecks,
  dropField,
  fail,
  pass,
} from "../../../src/grading/kit/index.ts";
import { sentFrom, sentTo } from "../feedback.ts";
import { ALICE_PORT, flagText, type TracedSegment } from "../network.ts";

const SYN = 0x002;
const ACK = 0x010;

function syns(context: CheckContext): TracedSegment[] {
  return sentTo(context, "alice").filter(
    (s) => s.tcp.destinationPort === ALICE_PORT && (s.tcp.flags & (SYN | ACK)) === SYN,
  );
}

function synAck(context: CheckContext): TracedSegment | undefined {
  return sentFrom(context, "alice").find(
    (s) => (s.tcp.flags & (SYN | ACK)) === (SYN | ACK) && s.event.fate.status === "delivered",
  );
}

/** The learner's first segment after the SYN-ACK, from the SYN's port. */
function third(context: CheckContext): TracedSegment | undefined {
  const answer = synAck(context);
  if (!answer) return undefined;
  return sentTo(context, "alice").find(
    (s) =>
      s.event.seq > answer.event.seq - 1 &&
      s.event.sentUs >= answer.event.arrivedUs! &&
      s.tcp.sourcePort === answer.tcp.destinationPort &&
      !(s.tcp.flags & SYN),
  );
}

export default defineChecks([
  {
    id: "sent-syn",
    title: "You sent Alice a SYN on TCP port 1000",
    weight: 2,
    required: true,
    check: (context) => {
      const sent = syns(context).find((s) => s.event.fate.status === "delivered");
      if (sent) {
        return about(sent, "tcp.flags").pass(
          `Your SYN with sequence number ${sent.tcp.sequenceNumber} reached Alice.`,
        );
      }
      const any = sentTo(context, "alice");
      const lost = syns(context)[0];
      if (lost) {
        return about(lost, dropField(lost)).fail(
          `Your SYN did not reach Alice: ${lost.event.fate.status === "dropped" ? lost.event.fate.detail : "it was not delivered"}.`,
        );
      }
      const wrongPort = any.find((s) => s.tcp.destinationPort !== ALICE_PORT);
      if (wrongPort) {
        return about(wrongPort, "tcp.destinationPort").fail(
          `Alice listens on TCP port ${ALICE_PORT}; your segment went to port ${wrongPort.tcp.destinationPort}.`,
          `Set destinationPort: ${ALICE_PORT}.`,
        );
      }
      if (any[0]) {
        return about(any[0], "tcp.flags").fail(
          `Your first segment to Alice had the flags ${flagText(any[0].tcp.flags)}; a connection starts with SYN alone.`,
          "Set syn: true and nothing else.",
        );
      }
      return fail(
        "Your program sent Alice no TCP segment.",
        "Build one with tcpSegment(), wrap it with ipv4Packet(…, protocol: IpProtocol.TCP), send it with sendPacket().",
      );
    },
  },
  {
    id: "acknowledged-syn-ack",
    title: "Your ACK acknowledged Alice's SYN-ACK",
    weight: 3,
    required: true,
    check: (context) => {
      const answer = synAck(context);
      if (!answer)
        return fail("Alice's SYN-ACK never reached you, so there was nothing to acknowledge yet.");
      const expected = (answer.tcp.sequenceNumber + 1) >>> 0;
      const segment = third(context);
      if (!segment) {
        // The ACK is missing; her SYN-ACK holds the number it should acknowledge.
        return about(answer, "tcp.sequenceNumber").fail(
          `Alice answered SYN-ACK with sequence number ${answer.tcp.sequenceNumber}, but you sent nothing after it.`,
          `Send a segment with ack: true and acknowledgmentNumber ${expected}.`,
        );
      }
      if (!(segment.tcp.flags & ACK)) {
        return about(segment, "tcp.flags.ack").fail(
          `Your segment after the SYN-ACK has no ACK flag, so Alice ignores its acknowledgment number (${segment.tcp.acknowledgmentNumber}).`,
          "Set ack: true.",
        );
      }
      const got = segment.tcp.acknowledgmentNumber;
      const ack = about(segment, "tcp.acknowledgmentNumber");
      if (got !== expected) {
        return ack.fail(
          `Your ACK number should be the server's sequence number + 1: ${expected}, not ${got}.`,
          "Alice's SYN counts as one byte: acknowledge the byte after it.",
        );
      }
      return ack.pass(
        `You acknowledged Alice's SYN: ACK number ${expected} = her ${answer.tcp.sequenceNumber} + 1.`,
      );
    },
  },
  {
    id: "sequence-continues",
    title: "Your ACK's sequence number follows your SYN's",
    weight: 2,
    required: true,
    check: (context) => {
      const segment = third(context);
      const syn = syns(context).at(-1);
      if (!segment || !syn) return fail("There is no SYN and ACK of yours to compare yet.");
      const expected = (syn.tcp.sequenceNumber + 1) >>> 0;
      const sequence = about(segment, "tcp.sequenceNumber");
      return segment.tcp.sequenceNumber === expected
        ? sequence.pass(
            `Sequence number ${expected}: your SYN took number ${syn.tcp.sequenceNumber}.`,
          )
        : sequence.fail(
            `Your ACK's sequence number is ${segment.tcp.sequenceNumber}, but a SYN counts as one byte: after a SYN with ${syn.tcp.sequenceNumber} it is ${expected}.`,
          );
    },
  },
  {
    id: "alice-answered",
    title: "Alice got your message over the connection and answered",
    weight: 2,
    required: true,
    check: (context) => {
      const alice = context.run.peers.alice as
        { inbox?: { protocol: string; text: string }[] } | undefined;
      const message = alice?.inbox?.find((m) => m.protocol === "tcp");
      if (message) {
        return pass(`Alice read "${message.text}" from the connection, and answered.`);
      }
      const segment = third(context);
      if (segment && segment.payload.length === 0) {
        return about(segment).fail(
          "Your ACK carried no data, so Alice had nothing to read.",
          "Pass your message as tcpSegment()'s second argument, with psh: true.",
        );
      }
      return fail(
        "Alice read nothing from the connection: the handshake has to be complete first.",
      );
    },
  },
]);
