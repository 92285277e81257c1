// Lesson 3 graded on the real simulated network: feedback quotes this session's numbers, which
// differ from one seed to the next, so a friend's answer is wrong in your session.
import { beforeAll, describe, expect, it } from "vitest";
import { gradeRun, loadLessons, type LoadedCatalogue } from "../../src/grading/index.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import { decodeTcp, encodeTcp, type TcpFields } from "../../src/protocols/tcp.ts";
import { decodeIpv4 } from "../../src/protocols/ipv4.ts";
import type { SimulatedProgram } from "../grading/helpers/simulate.ts";
import { simulate, text } from "../grading/helpers/simulate.ts";

let catalogue: LoadedCatalogue;
beforeAll(async () => {
  catalogue = await loadLessons("lessons");
});

function grade(exerciseId: string, seed: number, program: (p: SimulatedProgram) => void) {
  const instance = catalogue.instantiate("reliable-conversation", exerciseId, seed)!;
  const exercise = catalogue.exercise("reliable-conversation", exerciseId)!;
  const run = simulate(instance.topology, seed, program);
  const alice = instance.topology.hosts.find((h) => h.name === "alice")!.address;
  return { alice, grade: gradeRun(exercise, run, { ...instance, seed }) };
}

/** A hand-made handshake with Alice whose third segment acknowledges `ackOffset` past her ISN. */
function handshake(ackOffset: number, alice: () => string) {
  return ({ host }: SimulatedProgram) => {
    const send = (fields: Partial<TcpFields>, payload: Uint8Array = new Uint8Array(0)) => {
      const addresses = { source: "10.0.0.2", destination: alice() };
      const segment = encodeTcp(
        { sourcePort: 40000, destinationPort: 1000, ...fields },
        payload,
        addresses,
      );
      host.sendRaw(encodeIpv4({ ...addresses, protocol: IP_PROTOCOL.TCP }, segment));
    };
    send({ sequenceNumber: 1000, syn: true });
    const reply = host.receivePacket(2_000_000);
    if (reply.status !== "received") throw new Error("no SYN-ACK");
    const synAck = decodeTcp(decodeIpv4(reply.packet).payload).header!;
    send(
      {
        sequenceNumber: 1001,
        acknowledgmentNumber: (synAck.sequenceNumber + ackOffset) >>> 0,
        ack: true,
        psh: true,
      },
      text("hello"),
    );
    host.receivePacket(500_000);
  };
}

describe("lesson 3, a handshake by hand", () => {
  it("names the right ACK number, the server's sequence number + 1, in each session", () => {
    const messages = [21, 22].map((seed) => {
      const address = catalogue
        .instantiate("reliable-conversation", "handshake-by-hand", seed)!
        .topology.hosts.find((h) => h.name === "alice")!.address;
      const { grade: g } = grade(
        "handshake-by-hand",
        seed,
        handshake(0, () => address),
      );
      const check = g.checks.find((c) => c.id === "acknowledged-syn-ack")!;
      expect(check.passed).toBe(false);
      const [, expected, got] =
        /should be the server's sequence number \+ 1: (\d+), not (\d+)/.exec(check.message)!;
      expect(Number(expected)).toBe(Number(got) + 1);
      return check.message;
    });
    expect(messages[0]).not.toBe(messages[1]);
  });

  it("passes the same program once it acknowledges the SYN-ACK correctly", () => {
    const address = catalogue
      .instantiate("reliable-conversation", "handshake-by-hand", 21)!
      .topology.hosts.find((h) => h.name === "alice")!.address;
    const { grade: g } = grade(
      "handshake-by-hand",
      21,
      handshake(1, () => address),
    );
    expect(g.checks.filter((c) => !c.passed)).toEqual([]);
  });
});

describe("lesson 3, reading a header", () => {
  it("checks the printed numbers against this session's segment", () => {
    const instance = catalogue.instantiate("reliable-conversation", "read-a-tcp-header", 5)!;
    const segment = decodeTcp(instance.files["segment.bin"]!).header!;
    const { grade: mine } = grade("read-a-tcp-header", 5, (p) => {
      p.print(`source port: ${segment.sourcePort}`);
      p.print(`destination port: ${segment.destinationPort}`);
      p.print(`sequence number: ${segment.sequenceNumber}`);
      p.print(`acknowledgment number: ${segment.acknowledgmentNumber}`);
      p.print("header length: 24 bytes");
      p.print("flags: SYN ACK");
      p.print(`window: ${segment.window}`);
    });
    expect(mine.passed).toBe(true);
    // The same output in another session is wrong there.
    const { grade: other } = grade("read-a-tcp-header", 6, (p) => {
      p.print(`sequence number: ${segment.sequenceNumber}`);
    });
    expect(other.checks.find((c) => c.id === "numbers")!.passed).toBe(false);
  });
});
