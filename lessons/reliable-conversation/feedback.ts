// Feedback shared by the exercises: looking names up, and what happened to TCP segments.
import type { CheckContext, CheckVerdict } from "../../src/grading/kit/index.ts";
import { about, dropField, fail } from "../../src/grading/kit/index.ts";
import { askedFor } from "../exchanging-messages/feedback.ts";
import { flagText, hostAddress, tcpSegments, type TracedSegment } from "./network.ts";

export { askedFor };

/** Segments the learner sent to `host`'s address (any port). */
export function sentTo(context: CheckContext, host: string): TracedSegment[] {
  const address = hostAddress(context.topology, host);
  return tcpSegments(context.run.packets).filter(
    (s) => s.event.from === context.topology.learnerHost && s.destination === address,
  );
}

/** Segments `host` sent to the learner. */
export function sentFrom(context: CheckContext, host: string): TracedSegment[] {
  const address = hostAddress(context.topology, host);
  return tcpSegments(context.run.packets).filter(
    (s) => s.source === address && s.event.to === context.topology.learnerHost,
  );
}

/** Did a three-way handshake with `host`:`port` complete (SYN, SYN-ACK, ACK all delivered)? */
export function handshake(
  context: CheckContext,
  host: string,
  port: number,
  what: string,
): CheckVerdict {
  const address = hostAddress(context.topology, host);
  const out = sentTo(context, host);
  const syns = out.filter((s) => s.tcp.flags & 0x002 && !(s.tcp.flags & 0x010));
  if (syns.length === 0) {
    const elsewhere = tcpSegments(context.run.packets).find(
      (s) => s.event.from === context.topology.learnerHost && s.tcp.flags & 0x002,
    );
    return elsewhere
      ? about(elsewhere, "ipv4.destination").fail(
          `Your program opened a connection to ${elsewhere.destination}:${elsewhere.tcp.destinationPort}, not to ${what} at ${address}:${port}.`,
          `Connect to the address the name server gave you, port ${port}.`,
        )
      : fail(
          `Your program sent no SYN to ${what}: no connection was opened.`,
          `TcpStream.connect("address:${port}") opens one.`,
        );
  }
  const wrongPort = syns.find((s) => s.tcp.destinationPort !== port);
  if (wrongPort && !syns.some((s) => s.tcp.destinationPort === port)) {
    return about(wrongPort, "tcp.destinationPort").fail(
      `You connected to port ${wrongPort.tcp.destinationPort}; ${what} listens on TCP port ${port} (its host answered with RST: nothing listens there).`,
      `Connect to port ${port}.`,
    );
  }
  const synAck = sentFrom(context, host).find(
    (s) => (s.tcp.flags & 0x012) === 0x012 && s.event.fate.status === "delivered",
  );
  if (!synAck) {
    // The SYN that got no answer (dropped, if the network says why).
    const syn = syns.find((s) => s.tcp.destinationPort === port) ?? syns[0]!;
    return about(syn, dropField(syn)).fail(
      `${what} never answered your SYN with a SYN-ACK that reached you.`,
    );
  }
  return about(synAck, "tcp.flags").pass(
    `Connected to ${what} (${address}:${port}): SYN, SYN-ACK (${flagText(synAck.tcp.flags)}) and ACK.`,
  );
}
