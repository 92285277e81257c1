// Attack class: hand-built packets that turn the simulated peers against each other or
// themselves. A datagram spoofed from Alice to Alice makes her echo to herself over loopback;
// loopback traffic counts against the packet limit, so the loop ends as a network limit
// instead of spinning inside a host call until the pool's hard kill.
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
    expect(result.outcome).toBe("network-limit");
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
