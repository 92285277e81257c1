import { describe, expect, it } from "vitest";
import { decodeIcmp } from "../../src/protocols/icmp.ts";
import { decodeIpv4, encodeIpv4 } from "../../src/protocols/ipv4.ts";
import { encodeUdp } from "../../src/protocols/udp.ts";
import { fromHex } from "../../src/protocols/hex.ts";
import { defaultTopology } from "../../src/netsim/index.ts";
import { bytes, detailOf, dropsOf, open, routedTopology, text } from "./helpers.ts";

const LEARNER = "10.0.0.2";
const ALICE = "10.0.0.7";

function udpPacket(
  options: { checksum?: number; ttl?: number; destination?: string; port?: number } = {},
) {
  const destination = options.destination ?? ALICE;
  const addresses = { source: LEARNER, destination };
  const udp = encodeUdp(
    {
      sourcePort: 40000,
      destinationPort: options.port ?? 1000,
      ...(options.checksum === undefined ? {} : { checksum: options.checksum }),
    },
    bytes("hi"),
    addresses,
  );
  return encodeIpv4({ ...addresses, protocol: 17, ttl: options.ttl ?? 64 }, udp);
}

describe("delivery and ICMP", () => {
  it("dissects each packet event into layers with a summary", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("alice"), { address: "10.0.0.53", port: 53 });
    socket.recvFrom(null);
    expect(network.events.map((e) => e.layers.map((l) => l.protocol))).toEqual([
      ["ipv4", "udp", "name-lookup"],
      ["ipv4", "udp", "name-lookup"],
    ]);
    const port = socket.local.port;
    expect(network.events[0]?.summary).toContain(`10.0.0.2:${port} → 10.0.0.53:53 UDP`);
    expect(network.events[1]?.layers[0]?.fields.find((f) => f.name === "ttl")?.value).toBe(64);
  });

  it("drops a datagram for a port nobody listens on and answers with ICMP port unreachable", () => {
    const network = open(defaultTopology());
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(bytes("knock knock"), { address: ALICE, port: 100 });
    expect(socket.recvFrom(null).status).toBe("idle");
    const [drop] = dropsOf(network, "port-unreachable");
    expect(detailOf(drop)).toBe("no socket is bound to UDP port 100 on 10.0.0.7 (alice)");
    const icmp = network.events.find((e) => e.seq > drop!.seq && e.from === "alice");
    expect(icmp?.fate.status).toBe("delivered");
    const packet = decodeIpv4(fromHex(icmp!.hex));
    expect(packet.header).toMatchObject({ protocol: 1, source: ALICE, destination: LEARNER });
    const message = decodeIcmp(packet.payload);
    expect(message.header).toMatchObject({ type: 3, code: 3 });
    // The error quotes the offending header and the first 8 bytes (its UDP header).
    expect(message.payload).toEqual(fromHex(drop!.hex).subarray(0, 28));
  });

  it("drops a raw packet with a wrong header checksum at the next hop and says what was expected", () => {
    const network = open(defaultTopology());
    const packet = udpPacket();
    const correct = (packet[10]! << 8) | packet[11]!;
    packet[10] = packet[10]! ^ 0x12;
    const given = (packet[10]! << 8) | packet[11]!;
    network.learner.sendRaw(packet);
    network.settle();
    const [drop] = dropsOf(network, "bad-header-checksum");
    expect(drop?.to).toBe("alice");
    const hex = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;
    expect(detailOf(drop)).toBe(`header checksum ${hex(given)} is wrong; expected ${hex(correct)}`);
    expect((network.peerStates().alice as { inbox: unknown[] }).inbox).toEqual([]);
  });

  it("drops a wrong UDP checksum, and accepts checksum 0 (none)", () => {
    const network = open(defaultTopology());
    network.learner.sendRaw(udpPacket({ checksum: 0xdead }));
    network.learner.sendRaw(udpPacket({ checksum: 0 }));
    network.settle();
    const [bad] = dropsOf(network, "bad-udp-checksum");
    expect(detailOf(bad)).toMatch(/^UDP checksum 0xdead is wrong; expected 0x[0-9a-f]{4}$/);
    const inbox = (network.peerStates().alice as { inbox: { text: string }[] }).inbox;
    expect(inbox.map((m) => m.text)).toEqual(["hi"]);
  });

  it("calls a total length that disagrees with the bytes malformed", () => {
    const network = open(defaultTopology());
    const packet = encodeIpv4(
      { source: LEARNER, destination: ALICE, totalLength: 100 },
      bytes("12345678"),
    );
    network.learner.sendRaw(packet);
    network.settle();
    expect(detailOf(dropsOf(network, "malformed")[0])).toMatch(
      /total length 100 disagrees with the 28 bytes/,
    );
  });

  it("sends a packet for an unknown address to the first hop, which drops it as no-route", () => {
    const network = open(defaultTopology());
    network.learner.sendRaw(udpPacket({ destination: "192.0.2.1" }));
    network.settle();
    const [drop] = dropsOf(network, "no-route");
    expect(drop).toMatchObject({ from: "learner", to: "ns" });
    expect(detailOf(drop)).toMatch(/no host has the address 192\.0\.2\.1/);
  });
});

describe("routers", () => {
  it("forward a datagram, decrementing TTL and fixing the header checksum", () => {
    const network = open(routedTopology());
    const socket = network.learner.bindUdp({ address: "10.0.0.2", port: 5000 });
    socket.sendTo(bytes("over the routers"), { address: "10.0.3.7", port: 1000 });
    const reply = socket.recvFrom(null);
    expect(reply.status === "received" && text(reply.datagram.payload)).toContain(
      "over the routers",
    );
    const hops = network.events.filter((e) => e.summary.includes("→ 10.0.3.7"));
    expect(hops.map((e) => `${e.from}>${e.to}`)).toEqual(["learner>r1", "r1>r2", "r2>alice"]);
    const headers = hops.map((e) => decodeIpv4(fromHex(e.hex)));
    expect(headers.map((h) => h.header?.ttl)).toEqual([64, 63, 62]);
    expect(headers.every((h) => h.checksumValid)).toBe(true);
    expect(hops.map((e) => e.sentUs)).toEqual([0, 500, 2500]);
  });

  it("drop a packet whose TTL runs out and send ICMP time exceeded back", () => {
    const network = open(routedTopology());
    const packet = udpPacket({ destination: "10.0.3.7", ttl: 2 });
    network.learner.sendRaw(packet);
    network.settle();
    const [drop] = dropsOf(network, "ttl-expired");
    expect(drop).toMatchObject({ from: "r1", to: "r2" });
    expect(detailOf(drop)).toMatch(/TTL ran out at router 10\.0\.2\.1 \(r2\)/);
    const icmp = network.events.filter((e) => e.summary.includes("ICMP"));
    expect(icmp.map((e) => `${e.from}>${e.to}`)).toEqual(["r2>r1", "r1>learner"]);
    const message = decodeIcmp(decodeIpv4(fromHex(icmp[1]!.hex)).payload);
    expect(message.header).toMatchObject({ type: 11, code: 0 });
  });

  it("drop a packet with Don't Fragment that does not fit, answering with ICMP fragmentation needed", () => {
    const network = open(routedTopology({ mtu: 576 }));
    const addresses = { source: LEARNER, destination: "10.0.3.7" };
    const udp = encodeUdp(
      { sourcePort: 40000, destinationPort: 1000 },
      new Uint8Array(1000),
      addresses,
    );
    network.learner.sendRaw(encodeIpv4({ ...addresses, dontFragment: true }, udp));
    network.settle();
    const [drop] = dropsOf(network, "fragmentation-needed");
    expect(drop).toMatchObject({ from: "learner", to: "r1" });
    const icmp = network.events.find((e) => e.summary.includes("ICMP") && e.to === "learner");
    const message = decodeIcmp(decodeIpv4(fromHex(icmp!.hex)).payload);
    expect(message.header).toMatchObject({ type: 3, code: 4, nextHopMtu: 576 });
  });
});
