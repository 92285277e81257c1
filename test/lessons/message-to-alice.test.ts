// The final test of lesson 1, graded on packets from the real simulated network: the programs
// here drive the learner's host directly, as learner code does through the sandbox.
import { beforeAll, describe, expect, it } from "vitest";
import { gradeRun, loadLessons, type LoadedCatalogue } from "../../src/grading/index.ts";
import type { SimulatedProgram } from "../grading/helpers/simulate.ts";
import { addressOf, simulate, text } from "../grading/helpers/simulate.ts";

let catalogue: LoadedCatalogue;
beforeAll(async () => {
  catalogue = await loadLessons("lessons");
});

function grade(seed: number, program: (p: SimulatedProgram) => void) {
  const instance = catalogue.instantiate("exchanging-messages", "message-to-alice", seed)!;
  const exercise = catalogue.exercise("exchanging-messages", "message-to-alice")!;
  const run = simulate(instance.topology, seed, program);
  const alice = instance.topology.hosts.find((h) => h.name === "alice")!.address;
  return { run, alice, grade: gradeRun(exercise, run, { ...instance, seed }) };
}

function lookUpAlice({ host }: SimulatedProgram) {
  const socket = host.bindUdp({ address: "0.0.0.0", port: 0 });
  socket.sendTo(text("alice.packetlab.test"), { address: "10.0.0.53", port: 53 });
  const answer = socket.recvFrom(2_000_000);
  if (answer.status !== "received") throw new Error("no answer");
  return { socket, alice: addressOf(answer.datagram.payload) };
}

const byId = (g: ReturnType<typeof grade>["grade"], id: string) =>
  g.checks.find((c) => c.id === id)!;

describe("lesson 1, final test", () => {
  it("passes a program that looks Alice up, writes to her and prints her answer", () => {
    const { grade: g } = grade(11, (p) => {
      const { socket, alice } = lookUpAlice(p);
      socket.sendTo(text("hi Alice"), { address: alice, port: 1000 });
      const reply = socket.recvFrom(2_000_000);
      if (reply.status === "received") p.print(new TextDecoder().decode(reply.datagram.payload));
    });
    expect(g.checks.filter((c) => !c.passed)).toEqual([]);
    expect(g).toMatchObject({ passed: true, score: 100 });
    expect(byId(g, "message-not-empty").message).toBe('Alice got your message: "hi Alice".');
  });

  it("names the wrong port in the learner's terms", () => {
    const { grade: g } = grade(11, (p) => {
      const { socket, alice } = lookUpAlice(p);
      socket.sendTo(text("hi"), { address: alice, port: 100 });
    });
    expect(g.passed).toBe(false);
    expect(byId(g, "reached-alice").message).toBe("Alice listens on port 1000; you sent to 100.");
  });

  it("names the address the learner used and the one the name server gave", () => {
    const { grade: g, alice } = grade(11, (p) => {
      const { socket } = lookUpAlice(p);
      socket.sendTo(text("hi"), { address: "10.0.3.7", port: 1000 });
    });
    expect(byId(g, "asked-for-alice").passed).toBe(true);
    expect(byId(g, "reached-alice").message).toBe(
      `You sent to 10.0.3.7 (port 1000), but the name server said Alice is at ${alice} in this session.`,
    );
  });

  it("does not give Alice's address away to a program that never asked", () => {
    const { grade: g, alice } = grade(11, ({ host }) => {
      host
        .bindUdp({ address: "0.0.0.0", port: 0 })
        .sendTo(text("hi"), { address: "10.0.3.7", port: 1000 });
    });
    expect(byId(g, "asked-for-alice").message).toContain("did not ask the name server");
    expect(byId(g, "reached-alice").message).not.toContain(alice);
  });

  it("fails an empty message on its own check", () => {
    const { grade: g } = grade(11, (p) => {
      const { socket, alice } = lookUpAlice(p);
      socket.sendTo(new Uint8Array(0), { address: alice, port: 1000 });
    });
    expect(byId(g, "reached-alice").passed).toBe(true);
    expect(byId(g, "message-not-empty")).toMatchObject({ passed: false });
    expect(byId(g, "message-not-empty").message).toContain("it was empty");
  });

  it("explains a hand-built packet to Alice that the network dropped", () => {
    const { grade: g } = grade(11, (p) => {
      const { alice } = lookUpAlice(p);
      // 20-byte header, total length 28, a UDP header with a bad checksum, to Alice:1000.
      const packet = new Uint8Array(28);
      packet.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0]);
      packet.set([10, 0, 0, 2], 12);
      packet.set(alice.split(".").map(Number), 16);
      let sum = 0;
      for (let i = 0; i < 20; i += 2) sum += (packet[i]! << 8) | packet[i + 1]!;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      packet[10] = (~sum >> 8) & 0xff;
      packet[11] = ~sum & 0xff;
      packet.set([0x9c, 0x40, 0x03, 0xe8, 0, 8, 0x12, 0x34], 20);
      p.host.sendRaw(packet);
    });
    const message = byId(g, "reached-alice").message;
    expect(message).toMatch(/^Your datagram to Alice did not arrive: bad-udp-checksum/);
  });

  it("gives the same grade and packets for the same code and seed", () => {
    const program = (p: SimulatedProgram) => {
      const { socket, alice } = lookUpAlice(p);
      socket.sendTo(text("again"), { address: alice, port: 1000 });
    };
    const first = grade(99, program);
    const second = grade(99, program);
    expect(second.grade).toEqual(first.grade);
    expect(second.run.packets).toEqual(first.run.packets);
  });

  it("gives every seed its own Alice, outside the learner's and name server's subnet", () => {
    const addresses = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(
      (seed) =>
        catalogue
          .instantiate("exchanging-messages", "message-to-alice", seed)!
          .topology.hosts.find((h) => h.name === "alice")!.address,
    );
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const address of addresses) expect(address).not.toMatch(/^10\.0\.0\./);
  });

  it("fails in another session a program that hard-codes this session's address", () => {
    const here = grade(1, () => {}).alice;
    const { grade: g } = grade(2, ({ host }) => {
      const socket = host.bindUdp({ address: "0.0.0.0", port: 0 });
      socket.sendTo(text("alice.packetlab.test"), { address: "10.0.0.53", port: 53 });
      socket.recvFrom(2_000_000);
      socket.sendTo(text("hi"), { address: here, port: 1000 });
    });
    expect(byId(g, "reached-alice").passed).toBe(false);
  });
});
