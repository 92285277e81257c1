// A peer that calls the learner: it connects to the learner's host on a port (the learner
// listens there with TcpListener), sends a message, and reads the answer until the learner
// closes. Refused attempts (nobody listening yet) are retried, as a patient client would.
import type { SocketAddress } from "../types.ts";
import type { TcpConnection } from "../tcp-connection.ts";
import { onTcpChange, payloadText, type Peer, type PeerContext } from "./peer.ts";

const RETRY_US = 200_000;
const MAX_ATTEMPTS = 20;

export function createTcpCaller(
  context: PeerContext,
  options: SocketAddress & { message: string; startUs: number },
): Peer {
  const remote = { address: options.address, port: options.port };
  let attempts = 0;
  let connected = false;
  let reply = "";
  let closedByLearner = false;
  let outcome: string | null = null;

  const attempt = (): void => {
    attempts++;
    let connection: TcpConnection;
    try {
      connection = context.connectTcp(remote);
    } catch {
      outcome = "could not open a connection";
      return;
    }
    onTcpChange(context, connection, () => {
      if (!connected && connection.state === "ESTABLISHED") {
        connected = true;
        connection.write(new TextEncoder().encode(options.message));
      }
      const data = connection.read(65_535);
      if (data.length > 0) reply += payloadText(data);
      if (connection.finReceived && !closedByLearner) {
        closedByLearner = true;
        outcome = "the learner closed the connection";
        connection.shutdownWrite();
      }
      if (connection.state === "CLOSED" && connection.error) {
        if (!connected && connection.error === "refused" && attempts < MAX_ATTEMPTS) {
          context.later(attempt, context.now() + RETRY_US);
        } else if (!closedByLearner) {
          outcome = `connection ${connection.error}`;
        }
      }
    });
  };
  context.later(attempt, options.startUs);

  return {
    state: () => ({
      kind: "tcp-caller",
      to: `${remote.address}:${remote.port}`,
      attempts,
      connected,
      message: options.message,
      reply,
      outcome,
    }),
  };
}
