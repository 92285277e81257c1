import { describe, expect, it } from "vitest";
import {
  createNetwork,
  defaultTopology,
  EPHEMERAL_FIRST,
  EPHEMERAL_LAST,
  NetworkError,
} from "../../src/netsim/index.ts";
import { bytes, open, text } from "./helpers.ts";

const ALICE = { address: "10.0.0.7", port: 1000 };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof NetworkError ? error.code : `not a NetworkError: ${String(error)}`;
  }
  return undefined;
}

describe("binding", () => {
  it("assigns ephemeral ports in 49152–65535 from a seeded start, skipping ports in use", () => {
    const first = (seed: number) =>
      createNetwork({ topology: defaultTopology(), seed }).learner.bindUdp({
        address: "0.0.0.0",
        port: 0,
      }).local.port;
    expect(first(1)).toBe(first(1));
    const starts = new Set([1, 2, 3, 4, 5].map(first));
    expect(starts.size).toBeGreaterThan(1);
    for (const port of starts) expect(port).toBeGreaterThanOrEqual(EPHEMERAL_FIRST);
    for (const port of starts) expect(port).toBeLessThanOrEqual(EPHEMERAL_LAST);

    const network = open(defaultTopology());
    const probe = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    const next = probe.local.port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : probe.local.port + 1;
    network.learner.bindUdp({ address: "0.0.0.0", port: next });
    const third = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    expect(third.local.port).not.toBe(next);
    expect(third.local.port).not.toBe(probe.local.port);
  });

  it("refuses a port in use, an address the host does not have, and bad input", () => {
    const network = open(defaultTopology());
    network.learner.bindUdp({ address: "10.0.0.2", port: 3000 });
    expect(codeOf(() => network.learner.bindUdp({ address: "0.0.0.0", port: 3000 }))).toBe(
      "ADDRESS_IN_USE",
    );
    expect(codeOf(() => network.learner.bindUdp({ address: "10.0.0.7", port: 3001 }))).toBe(
      "ADDRESS_NOT_AVAILABLE",
    );
    expect(codeOf(() => network.learner.bindUdp({ address: "10.0.0", port: 3001 }))).toBe(
      "INVALID_ADDRESS",
    );
    expect(codeOf(() => network.learner.bindUdp({ address: "0.0.0.0", port: 70000 }))).toBe(
      "INVALID_PORT",
    );
    expect(network.limitReached).toBeNull();
  });

  it("frees the port on close, and a closed socket refuses to work", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 3000 });
    socket.close();
    socket.close();
    expect(codeOf(() => socket.sendTo(bytes("x"), ALICE))).toBe("SOCKET_CLOSED");
    expect(codeOf(() => socket.recvFrom(0))).toBe("SOCKET_CLOSED");
    expect(network.learner.bindUdp({ address: "0.0.0.0", port: 3000 }).local.port).toBe(3000);
  });

  it("refuses to send to port 0, to 0.0.0.0, or more than 65,507 bytes", () => {
    const socket = open(defaultTopology()).learner.bindUdp({ address: "0.0.0.0", port: 0 });
    expect(codeOf(() => socket.sendTo(bytes("x"), { address: "10.0.0.7", port: 0 }))).toBe(
      "INVALID_PORT",
    );
    expect(codeOf(() => socket.sendTo(bytes("x"), { address: "0.0.0.0", port: 1000 }))).toBe(
      "INVALID_ADDRESS",
    );
    expect(codeOf(() => socket.sendTo(new Uint8Array(65_508), ALICE))).toBe("MESSAGE_TOO_LONG");
    expect(socket.sendTo(bytes("four"), ALICE)).toBe(4);
  });
});

describe("receiving in virtual time", () => {
  it("returns a reply at the virtual time it arrives, with its sender", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("hello"), ALICE);
    const result = socket.recvFrom(null);
    expect(result.status).toBe("received");
    if (result.status !== "received") return;
    expect(result.datagram.from).toEqual(ALICE);
    expect(text(result.datagram.payload)).toBe("Hi, this is Alice. I got your message: hello");
    expect(network.nowUs).toBe(2000); // 1 ms there, 1 ms back
  });

  it("times out at the deadline when the answer comes later, and gets it on the next call", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("hello"), ALICE);
    expect(socket.recvFrom(1500)).toEqual({ status: "timeout" });
    expect(network.nowUs).toBe(1500);
    expect(socket.recvFrom(1500).status).toBe("received");
    expect(network.nowUs).toBe(2000);
  });

  it("reports idle when nothing can arrive, letting a timed wait pass", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    expect(socket.recvFrom(null)).toEqual({ status: "idle" });
    expect(network.nowUs).toBe(0);
    expect(socket.recvFrom(250_000)).toEqual({ status: "idle" });
    expect(network.nowUs).toBe(250_000);
  });

  it("bounds a socket's queue and drops the overflow with a reason", () => {
    const network = open(defaultTopology(), { limits: { maxSocketQueue: 3 } });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    for (let i = 0; i < 5; i++) socket.sendTo(bytes(`m${i}`), ALICE);
    network.settle();
    const full = network.events.filter(
      (e) => e.fate.status === "dropped" && e.fate.reason === "receive-queue-full",
    );
    expect(full).toHaveLength(2);
    const received: string[] = [];
    for (let r = socket.recvFrom(0); r.status === "received"; r = socket.recvFrom(0)) {
      received.push(text(r.datagram.payload).slice(-2));
    }
    expect(received).toEqual(["m0", "m1", "m2"]);
  });
});
