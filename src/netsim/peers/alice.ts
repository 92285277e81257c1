// Alice on UDP 1000: keeps every message she gets and answers the sender.
import { hexOf } from "../hex.ts";
import { MAX_UDP_PAYLOAD } from "../ip-stack.ts";
import {
  formatSocketAddress,
  onTcpChange,
  payloadText,
  type Peer,
  type PeerContext,
} from "./peer.ts";

export const DEFAULT_ALICE_REPLY = "Hi, this is Alice. I got your message: {message}";

export interface AliceMessage {
  atUs: number;
  /** "udp" (a datagram) or "tcp" (what one read of a connection returned). */
  protocol: "udp" | "tcp";
  from: { address: string; port: number };
  /** "10.0.0.2:49152", for messages to learners. */
  fromText: string;
  length: number;
  text: string;
  hex: string;
}

export function createAlice(
  context: PeerContext,
  port: number,
  reply = DEFAULT_ALICE_REPLY,
  tcpPort?: number,
): Peer {
  const inbox: AliceMessage[] = [];
  const encoder = new TextEncoder();
  const connections: { from: string; state: string; bytesReceived: number }[] = [];
  if (tcpPort !== undefined) {
    // Over TCP Alice answers each chunk she reads, and closes when the caller has closed.
    context.listenTcp(tcpPort, (connection) => {
      const seen = {
        from: formatSocketAddress(connection.remote),
        state: "ESTABLISHED",
        bytesReceived: 0,
      };
      connections.push(seen);
      onTcpChange(context, connection, () => {
        const data = connection.read(65_535);
        if (data.length > 0) {
          const text = payloadText(data);
          seen.bytesReceived += data.length;
          inbox.push({
            atUs: context.now(),
            protocol: "tcp",
            from: { ...connection.remote },
            fromText: seen.from,
            length: data.length,
            text,
            hex: hexOf(data),
          });
          connection.write(encoder.encode(reply.replaceAll("{message}", () => text)));
        }
        if (connection.finReceived) connection.shutdownWrite();
        seen.state = connection.state;
      });
    });
  }
  context.listen(port, (datagram) => {
    const text = payloadText(datagram.payload);
    inbox.push({
      atUs: context.now(),
      protocol: "udp",
      from: { ...datagram.from },
      fromText: formatSocketAddress(datagram.from),
      length: datagram.payload.length,
      text,
      hex: hexOf(datagram.payload),
    });
    // A replacer function, so "$&" and friends in a learner's message stay literal.
    const answer = encoder.encode(reply.replaceAll("{message}", () => text));
    context.send(answer.subarray(0, MAX_UDP_PAYLOAD), datagram.from);
  });
  return {
    state: () => ({
      kind: "alice",
      port,
      ...(tcpPort === undefined
        ? {}
        : { tcpPort, connections: connections.map((c) => ({ ...c })) }),
      inbox: inbox.map((m) => ({ ...m, from: { ...m.from } })),
    }),
  };
}
