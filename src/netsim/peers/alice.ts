// Alice on UDP 1000: keeps every message she gets and answers the sender.
import { hexOf } from "../hex.ts";
import { MAX_UDP_PAYLOAD } from "../ip-stack.ts";
import { formatSocketAddress, payloadText, type Peer, type PeerContext } from "./peer.ts";

export const DEFAULT_ALICE_REPLY = "Hi, this is Alice. I got your message: {message}";

export interface AliceMessage {
  atUs: number;
  from: { address: string; port: number };
  /** "10.0.0.2:49152", for messages to learners. */
  fromText: string;
  length: number;
  text: string;
  hex: string;
}

export function createAlice(context: PeerContext, port: number, reply = DEFAULT_ALICE_REPLY): Peer {
  const inbox: AliceMessage[] = [];
  const encoder = new TextEncoder();
  context.listen(port, (datagram) => {
    const text = payloadText(datagram.payload);
    inbox.push({
      atUs: context.now(),
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
      inbox: inbox.map((m) => ({ ...m, from: { ...m.from } })),
    }),
  };
}
