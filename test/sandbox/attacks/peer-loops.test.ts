// Attack class: hand-built packets that turn the simulated peers against each other or
// themselves. A datagram spoofed from Alice to Alice makes her echo to herself over loopback,
// which the network neither counts nor advances time for (a netsim bug, reported): the worker
// spins inside a host call, where only the pool's hard kill reaches it. Whatever the network
// does, the run must end with a learner outcome and the pool must heal.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner({ killGraceMs: 500 });
afterAll(() => runner.close());

function spoofed(from: string, to: string, fromPort: number, toPort: number): string {
  return `import { ipv4Packet, udpDatagram, sendPacket } from "net";
    const a = { source: "${from}", destination: "${to}" };
    sendPacket(ipv4Packet(a, udpDatagram({ sourcePort: ${fromPort}, destinationPort: ${toPort} }, "loop", a)));
    console.log("sent");`;
}

describe("peers turned against each other", () => {
  it("survives a datagram spoofed from Alice to Alice", async () => {
    const result = await run(runner, spoofed("10.0.0.7", "10.0.0.7", 1000, 1000), {
      limits: { wallMs: 1_000 },
    });
    expect(["ok", "time-limit", "network-limit"]).toContain(result.outcome);
    await expectHealthy(runner);
  });

  it("lets Alice and the name server answer spoofed datagrams from each other", async () => {
    for (const [from, to, fromPort, toPort] of [
      ["10.0.0.53", "10.0.0.7", 53, 1000],
      ["10.0.0.7", "10.0.0.53", 1000, 53],
    ] as const) {
      const result = await run(runner, spoofed(from, to, fromPort, toPort));
      expect(result.outcome).toBe("ok");
    }
    await expectHealthy(runner);
  });
});
