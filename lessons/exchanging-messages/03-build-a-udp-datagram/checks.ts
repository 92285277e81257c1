// Every check looks at the first packet the program put on the wire, as the network saw it.
import { encodeUdp } from "../../../src/protocols/udp.ts";
import {
  about,
  type CheckContext,
  type CheckVerdict,
  defineChecks,
  deliveredTo,
  dropField,
  type FieldPath,
  fail,
  pass,
  sentBy,
  type TracedPacket,
} from "../../../src/grading/kit/index.ts";
import { printedAddress, whyDropped } from "../feedback.ts";
import { recordAddress, WEB_NAME } from "../network.ts";

const REPLY_PORT = 40000;
const NAME_SERVER_PORT = 53;

type UdpPacket = TracedPacket & {
  ip: NonNullable<TracedPacket["ip"]>;
  udp: NonNullable<TracedPacket["udp"]>;
};

/** Runs `judge` on the first datagram; the verdict is about that packet's `field`. */
function onDatagram(
  field: FieldPath | undefined,
  judge: (packet: UdpPacket, context: CheckContext) => CheckVerdict,
) {
  return (context: CheckContext): CheckVerdict => {
    const packet = sentBy(context.run.packets, context.topology.learnerHost)[0];
    if (!packet?.ip || !packet.udp) return fail("There is no UDP datagram to check.");
    return about(packet, field).mark(judge(packet as UdpPacket, context));
  };
}

const hex16 = (n: number): string => `0x${n.toString(16).padStart(4, "0")}`;

export default defineChecks([
  {
    id: "sent-a-datagram",
    title: "You sent a UDP datagram inside an IPv4 packet",
    weight: 1,
    required: true,
    check: (context) => {
      const packet = sentBy(context.run.packets, context.topology.learnerHost)[0];
      if (!packet) {
        return fail(
          "Your program put no packet on the wire.",
          "Send your packet with sendPacket(…).",
        );
      }
      if (packet.ip?.protocol !== 17 || !packet.udp) {
        return about(packet, "ipv4.protocol").fail(
          "Your first packet does not carry a UDP datagram (its protocol field must be 17, and the payload must hold at least the 8-byte UDP header).",
        );
      }
      return about(packet, "udp").pass("Your packet carries a UDP datagram.");
    },
  },
  {
    id: "destination-port",
    title: "Destination port: the name server's",
    weight: 1,
    required: true,
    check: onDatagram("udp.destinationPort", ({ udp }) =>
      udp.destinationPort === NAME_SERVER_PORT
        ? pass(`Destination port ${NAME_SERVER_PORT}.`)
        : fail(
            `The destination port is ${udp.destinationPort}, but the name server listens on port ${NAME_SERVER_PORT}.`,
          ),
    ),
  },
  {
    id: "source-port",
    title: "Source port: where your socket listens",
    weight: 1,
    required: true,
    check: onDatagram("udp.sourcePort", ({ udp }) =>
      udp.sourcePort === REPLY_PORT
        ? pass(`Source port ${REPLY_PORT}: the answer comes back to your socket.`)
        : fail(
            `The source port is ${udp.sourcePort}, but your socket listens on port ${REPLY_PORT}.`,
            "The name server sends its answer to the source port of the request.",
          ),
    ),
  },
  {
    id: "udp-length",
    title: "Length: header and payload",
    weight: 1,
    required: true,
    check: onDatagram("udp.length", ({ udp, ip, bytes }) => {
      const actual = Math.min(ip.totalLength, bytes.length) - ip.ihl * 4;
      return udp.length === actual
        ? pass(`Length ${udp.length}: 8 bytes of header and ${udp.length - 8} of payload.`)
        : fail(
            `The UDP length says ${udp.length} bytes, but your datagram is ${actual} bytes (8 of header and ${actual - 8} of payload).`,
            "Length counts the 8-byte header as well as the payload.",
          );
    }),
  },
  {
    id: "udp-checksum",
    title: "A checksum over the pseudo-header and the datagram",
    weight: 2,
    required: true,
    check: onDatagram("udp.checksum", ({ udp, ip, udpPayload, udpChecksum }) => {
      if (udpChecksum === "valid") return pass(`Checksum ${hex16(udp.checksum)} is valid.`);
      if (udpChecksum === "none") {
        return fail(
          "The UDP checksum is 0, which means “not computed”; this exercise asks you to compute it.",
          "Sum the pseudo-header (addresses, zero, 17, UDP length) and the datagram with its checksum field at 0, fold the carries, invert.",
        );
      }
      const expected = encodeUdp(
        { sourcePort: udp.sourcePort, destinationPort: udp.destinationPort, length: udp.length },
        udpPayload,
        { source: ip.source, destination: ip.destination },
      );
      return fail(
        `The UDP checksum is ${hex16(udp.checksum)}, but it should be ${hex16((expected[6]! << 8) | expected[7]!)}.`,
        "Did you include the pseudo-header (source and destination addresses, zero, protocol 17, UDP length) in the sum?",
      );
    }),
  },
  {
    id: "name-server-answered",
    title: "The name server accepted it, and its answer reached your socket",
    weight: 2,
    required: true,
    check: onDatagram(undefined, (packet, { run, topology }) => {
      if (packet.event.fate.status !== "delivered" || packet.event.to !== "ns") {
        return about(packet, dropField(packet)).fail(
          `Your packet was not accepted: ${whyDropped(packet)}.`,
        );
      }
      const answer = run.packets.find(
        (event) => event.from === "ns" && event.to === topology.learnerHost,
      );
      if (!answer) return fail("The name server received your packet but did not answer it.");
      const received = deliveredTo(run.packets, topology.learnerHost).some(
        (p) => p.event === answer,
      );
      // About the answer from here on: whether it reached the learner is what is judged.
      const verdict = about(answer, dropField({ event: answer }));
      return received
        ? verdict.pass("The name server answered, and the answer reached your socket.")
        : verdict.fail(
            `The name server answered, but the answer was dropped: ${answer.fate.status === "dropped" ? answer.fate.detail : ""}.`,
            `Send from the port your socket is bound to (${REPLY_PORT}).`,
          );
    }),
  },
  {
    id: "printed-address",
    title: "Bonus: you printed the answer",
    weight: 1,
    required: false,
    check: (context) =>
      printedAddress(context, recordAddress(context.topology, WEB_NAME), WEB_NAME),
  },
]);
