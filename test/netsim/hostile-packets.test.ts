// Whatever bytes a learner hand-builds, the network records them and never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { open, routedTopology } from "./helpers.ts";

describe("raw packets from a learner", () => {
  it("never make the network throw, and every packet put on a link gets a final event", () => {
    const header = (destination: string) =>
      encodeIpv4({ source: "10.0.0.2", destination }).subarray(0, 20);
    const packet = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      // Mostly-valid headers with random tails and random corruptions reach deeper code.
      fc
        .tuple(
          fc.constantFrom("10.0.3.7", "10.0.0.53", "10.0.1.1", "192.0.2.1"),
          fc.uint8Array({ maxLength: 1600 }),
          fc.array(fc.tuple(fc.nat(40), fc.nat(255)), { maxLength: 3 }),
        )
        .map(([destination, tail, flips]) => {
          const bytes = new Uint8Array(20 + tail.length);
          bytes.set(header(destination));
          bytes.set(tail, 20);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          return bytes;
        }),
    );
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 5 }), (packets) => {
        const network = open(routedTopology({ mtu: 576 }));
        for (const bytes of packets) network.learner.sendRaw(bytes);
        network.settle();
        const firstHops = network.events.filter((e) => e.from === "learner");
        expect(firstHops.length).toBeGreaterThanOrEqual(packets.length);
        expect(network.limitReached).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});
