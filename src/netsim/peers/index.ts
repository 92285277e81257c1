// Starts the topology's peer programs on their hosts and collects what they observed.
import { NetworkError } from "../errors.ts";
import type { SimHost } from "../ip-stack.ts";
import { defaultPeerPort } from "../topology.ts";
import type { TopologySpec, VirtualMicros } from "../types.ts";
import { createAlice } from "./alice.ts";
import { createFileReceiver } from "./file-receiver.ts";
import { createNameServer } from "./name-server.ts";
import { createTcpCaller } from "./tcp-caller.ts";
import { createWebServer, DEFAULT_PAGE } from "./web-server.ts";
import type { Peer, PeerContext } from "./peer.ts";

export interface Peers {
  /** Keyed by host name, or "host:port" when a host runs more than one peer. */
  states(): Record<string, unknown>;
}

export function createPeers(
  topology: TopologySpec,
  hosts: ReadonlyMap<string, SimHost>,
  now: () => VirtualMicros,
  limitReached: () => boolean,
  schedule: (atUs: VirtualMicros, run: () => void) => void,
): Peers {
  const perHost = new Map<string, number>();
  for (const spec of topology.peers) perHost.set(spec.host, (perHost.get(spec.host) ?? 0) + 1);
  const running: [string, Peer][] = [];

  for (const spec of topology.peers) {
    const host = hosts.get(spec.host)!;
    const port = spec.port ?? defaultPeerPort(spec.kind)!;
    let socket: ReturnType<SimHost["sockets"]["bind"]> | undefined;
    const context: PeerContext = {
      hostName: host.name,
      hostAddress: host.address,
      now,
      listen(listenPort, handler) {
        socket = host.sockets.bind({ address: "0.0.0.0", port: listenPort }, handler);
      },
      listenTcp(listenPort, accepted) {
        host.tcp.listen({ address: "0.0.0.0", port: listenPort }, accepted);
      },
      connectTcp: (remote) => host.tcp.connect(remote),
      later(run, atUs) {
        schedule(Math.max(now(), atUs ?? now()), run);
      },
      send(payload, to) {
        if (!socket) return;
        try {
          host.sendUdp(socket, payload, to);
        } catch (error) {
          // A peer answering an odd source (port 0, a spoofed address) just stays quiet;
          // a run limit, though, must reach the learner's call that caused it.
          if (!(error instanceof NetworkError) || limitReached()) throw error;
        }
      },
    };
    const key = (perHost.get(spec.host) ?? 0) > 1 ? `${spec.host}:${port}` : spec.host;
    switch (spec.kind) {
      case "name-server":
        running.push([key, createNameServer(context, port, topology.records)]);
        break;
      case "alice":
        running.push([key, createAlice(context, port, spec.reply, spec.tcpPort)]);
        break;
      case "web-server":
        running.push([key, createWebServer(context, port, spec.page ?? DEFAULT_PAGE)]);
        break;
      case "tcp-caller":
        running.push([
          key,
          createTcpCaller(context, {
            address: hosts.get(topology.learnerHost)!.address,
            port,
            message: spec.message ?? "Hello from Alice!",
            startUs: spec.startUs ?? 100_000,
          }),
        ]);
        break;
      case "file-receiver":
        running.push([
          key,
          createFileReceiver(context, port, {
            ...(spec.expectedBytes === undefined ? {} : { expectedBytes: spec.expectedBytes }),
            ...(spec.mode === undefined ? {} : { mode: spec.mode }),
          }),
        ]);
        break;
    }
  }

  return {
    states: () => Object.fromEntries(running.map(([key, peer]) => [key, peer.state()])),
  };
}
