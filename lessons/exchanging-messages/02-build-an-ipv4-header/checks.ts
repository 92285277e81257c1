// Every check looks at the first packet the program put on the wire, as the network saw it.
import { internetChecksum } from "../../../src/protocols/checksum.ts";
import {
  about,
  type CheckContext,
  type CheckVerdict,
  defineChecks,
  dropField,
  type FieldPath,
  fail,
  pass,
  sentBy,
  type TracedPacket,
} from "../../../src/grading/kit/index.ts";
import { whyDropped } from "../feedback.ts";
import { hostAddress } from "../network.ts";

function firstPacket(context: CheckContext): TracedPacket | undefined {
  return sentBy(context.run.packets, context.topology.learnerHost)[0];
}

/**
 * Runs `judge` on the first packet's header, or fails once there is none to judge; the verdict
 * is about that packet's `field`.
 */
function onHeader(
  field: FieldPath | undefined,
  judge: (
    packet: TracedPacket & { ip: NonNullable<TracedPacket["ip"]> },
    context: CheckContext,
  ) => CheckVerdict,
) {
  return (context: CheckContext): CheckVerdict => {
    const packet = firstPacket(context);
    if (!packet) return fail("There is no packet to check.");
    if (!packet.ip)
      return about(packet).fail(
        `Your packet is ${packet.bytes.length} bytes, too short for an IPv4 header (20 bytes).`,
      );
    const verdict = judge(
      packet as TracedPacket & { ip: NonNullable<TracedPacket["ip"]> },
      context,
    );
    return about(packet, field).mark(verdict);
  };
}

export default defineChecks([
  {
    id: "sent-a-packet",
    title: "You put a packet on the wire",
    weight: 1,
    required: true,
    check: (context) =>
      firstPacket(context)
        ? about(firstPacket(context)).pass("Your program sent a packet.")
        : fail(
            "Your program put no packet on the wire.",
            "Call sendPacket(packet) with the bytes you built.",
          ),
  },
  {
    id: "source-address",
    title: "Source address: yours",
    weight: 1,
    required: true,
    check: onHeader("ipv4.source", ({ ip }, { topology }) => {
      const mine = hostAddress(topology, topology.learnerHost);
      return ip.source === mine
        ? pass(`Source address ${ip.source}: yours.`)
        : fail(
            `The source address is ${ip.source}, but your computer is ${mine}.`,
            "The source is where answers are sent back: put your own address there.",
          );
    }),
  },
  {
    id: "destination-address",
    title: "Destination address: the name server",
    weight: 1,
    required: true,
    check: onHeader("ipv4.destination", ({ ip }, { topology }) => {
      const server = hostAddress(topology, "ns");
      return ip.destination === server
        ? pass(`Destination address ${ip.destination}: the name server.`)
        : fail(
            `The destination address is ${ip.destination}, but the name server is ${server}.`,
            "The destination decides which computer the network delivers the packet to.",
          );
    }),
  },
  {
    id: "protocol",
    title: "Protocol: UDP (17)",
    weight: 1,
    required: true,
    check: onHeader("ipv4.protocol", ({ ip }) =>
      ip.protocol === 17
        ? pass("Protocol 17: the payload is UDP.")
        : fail(
            `The protocol field is ${ip.protocol}, but the payload is a UDP datagram, whose protocol number is 17.`,
            "The receiver uses this number to decide which protocol reads the payload (6 would be TCP, 1 ICMP).",
          ),
    ),
  },
  {
    id: "ttl",
    title: "Time to live: 64",
    weight: 1,
    required: true,
    check: onHeader("ipv4.ttl", ({ ip }) => {
      if (ip.ttl === 64) return pass("TTL 64.");
      if (ip.ttl === 0) {
        return fail(
          "The TTL is 0: a packet whose time to live has run out must not be sent at all (RFC 1122), and any router on its way would throw it away.",
          "Set ttl to 64, the usual starting value.",
        );
      }
      return fail(`The TTL is ${ip.ttl}; this exercise asks for 64.`, "Set ttl to 64.");
    }),
  },
  {
    id: "total-length",
    title: "Total length: header and payload",
    weight: 1,
    required: true,
    check: onHeader("ipv4.totalLength", ({ ip, bytes }) => {
      if (ip.totalLength === bytes.length)
        return pass(`Total length ${ip.totalLength}: header and payload.`);
      const header = ip.ihl * 4;
      return fail(
        `The total length says ${ip.totalLength} bytes, but your packet is ${bytes.length} bytes (${header} of header and ${bytes.length - header} of payload).`,
        "Total length counts the header and the payload; a receiver ignores whatever lies past it.",
      );
    }),
  },
  {
    id: "header-checksum",
    title: "A valid header checksum",
    weight: 2,
    required: true,
    check: onHeader("ipv4.headerChecksum", ({ ip, bytes, ipChecksumValid }) => {
      const shown = `0x${ip.headerChecksum.toString(16).padStart(4, "0")}`;
      if (ipChecksumValid) return pass(`Header checksum ${shown} is valid.`);
      const header = bytes.slice(0, Math.max(20, Math.min(ip.ihl * 4, bytes.length)));
      header[10] = 0;
      header[11] = 0;
      const expected = `0x${internetChecksum(header).toString(16).padStart(4, "0")}`;
      return fail(
        `The header checksum is ${shown}, but for these header bytes it should be ${expected}.`,
        "Compute it last, over the header with the checksum field set to 0, after every other field is final.",
      );
    }),
  },
  {
    id: "name-server-answered",
    title: "The name server accepted your packet and answered",
    weight: 2,
    required: true,
    check: onHeader(undefined, (packet, { run, topology }) => {
      if (packet.event.fate.status !== "delivered" || packet.event.to !== "ns") {
        return about(packet, dropField(packet)).fail(
          `Your packet was not accepted: ${whyDropped(packet)}.`,
        );
      }
      const answered = run.packets.some(
        (event) => event.from === "ns" && event.to === topology.learnerHost,
      );
      return answered
        ? pass("The name server accepted your packet and sent an answer.")
        : fail(
            "The name server received your packet but did not answer it.",
            "Keep the UDP datagram of the starter code as the payload, unchanged.",
          );
    }),
  },
]);
