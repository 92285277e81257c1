// A stand-in for src/netsim, loaded by workers through RunnerConfig.networkModule. Its learner
// host's name picks a misbehaviour, so supervision can be tested against failures the real
// network never has: a host call that never returns, a bug, a process that dies.
import type { HostStack, Network, NetworkOptions, PacketEvent } from "../../src/netsim/types.ts";

export function createNetwork(options: NetworkOptions): Network {
  const mode = options.topology.learnerHost;
  const events: PacketEvent[] = [];
  const learner: HostStack = {
    name: mode,
    address: "10.9.9.9",
    bindUdp(local) {
      return {
        id: 1,
        local: { address: local.address, port: local.port || 50_000 },
        sendTo(payload) {
          if (mode === "buggy")
            throw new Error("internal failure in /work/main/src/netsim/secret.ts");
          return payload.length;
        },
        recvFrom() {
          if (mode === "hang") for (;;);
          if (mode === "crash") process.kill(process.pid, "SIGKILL");
          return {
            status: "received",
            datagram: {
              payload: new Uint8Array([111, 107]),
              from: { address: "10.9.9.1", port: 7 },
            },
          };
        },
        close() {},
      };
    },
    sendRaw() {},
    connectTcp() {
      throw new Error("the fake network has no TCP");
    },
    listenTcp() {
      throw new Error("the fake network has no TCP");
    },
    receivePacket() {
      return { status: "idle" };
    },
  };
  return {
    nowUs: 0,
    events,
    learner,
    settle() {},
    limitReached: null,
    peerStates: () => ({ mode }),
  };
}
