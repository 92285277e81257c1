// Attack class: oversized, undersized and garbage packets, and mistyped arguments. Garbage on
// the wire is the network's to drop and record; the runner must neither crash nor copy more
// than a packet can hold.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("malformed and oversized packets", () => {
  it("records garbage put on the wire as dropped", async () => {
    const result = await run(
      runner,
      `import { sendPacket } from "net";
       sendPacket(new Uint8Array([1, 2, 3]));
       sendPacket(new Uint8Array(40).fill(0xff));
       const lies = new Uint8Array(28); lies[0] = 0x45; lies[2] = 0xff; lies[3] = 0xff;
       sendPacket(lies);`,
    );
    expect(result.outcome).toBe("ok");
    expect(result.packets.length).toBeGreaterThan(0);
    for (const packet of result.packets) expect(packet.fate.status).toBe("dropped");
    await expectHealthy(runner);
  });

  it("refuses packets and payloads over the IPv4 and UDP maximums before copying", async () => {
    const result = await run(
      runner,
      `import { sendPacket, UdpSocket, IoError } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const attempts = [
         () => sendPacket(new Uint8Array(65_536)),
         () => socket.sendTo(new Uint8Array(65_508), "10.0.0.7:1000"),
         () => socket.sendTo("x".repeat(70_000), "10.0.0.7:1000"),
       ];
       for (const attempt of attempts) {
         try { attempt(); console.log("accepted"); } catch (e) { console.log(e instanceof IoError ? e.kind : e.name); }
       }`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["InvalidInput", "InvalidInput", "InvalidInput"]);
    expect(result.packets).toHaveLength(0);
    await expectHealthy(runner);
  });

  it("turns mistyped arguments into TypeErrors the learner can catch", async () => {
    const result = await run(
      runner,
      `import { sendPacket, dissect, ipv4Packet, udpDatagram, UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const attempts = [
         () => sendPacket("45000014"),
         () => sendPacket([69, 0, 0, 20]),
         () => dissect(null),
         () => ipv4Packet(null),
         () => ipv4Packet({ source: "10.0.0.2", destination: "10.0.0.7", ttl: 300 }),
         () => udpDatagram({ sourcePort: -1, destinationPort: 1 }, "x", { source: "10.0.0.2", destination: "10.0.0.7" }),
         () => socket.sendTo(12345, "10.0.0.7:1000"),
         () => socket.sendTo("x", { address: "10.0.0.7", port: 1000 }),
       ];
       for (const attempt of attempts) {
         try { attempt(); console.log("accepted"); } catch (e) { console.log(e.name); }
       }`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(Array(8).fill("TypeError"));
    await expectHealthy(runner);
  });

  it("sends a hand-built packet with a wrong checksum, which the network drops", async () => {
    const result = await run(
      runner,
      `import { ipv4Packet, udpDatagram, sendPacket, dissect } from "net";
       const addresses = { source: "10.0.0.2", destination: "10.0.0.7" };
       const udp = udpDatagram({ sourcePort: 4000, destinationPort: 1000 }, "hi", addresses);
       const packet = ipv4Packet({ ...addresses, headerChecksum: 0x1234 }, udp);
       console.log(dissect(packet)[0].checksum);
       sendPacket(packet);`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["invalid"]);
    expect(result.packets[0]?.fate).toMatchObject({
      status: "dropped",
      reason: "bad-header-checksum",
    });
    await expectHealthy(runner);
  });

  it("stops a loop of packets malformed in every header field at the packet cap", async () => {
    const result = await run(
      runner,
      `import { sendPacket, dissect } from "net";
       const base = () => {
         const p = new Uint8Array(28);
         p.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 7, 0x0f, 0xa0, 0x03, 0xe8, 0, 8]);
         return p;
       };
       const edits = [
         (p) => { p[0] = 0x4f; },              // IHL 15, options cut short
         (p) => { p[2] = 0; p[3] = 0; },       // total length 0
         (p) => { p[6] = 0x3f; p[7] = 0xff; }, // fragment offset past 65,535 bytes
         (p) => { p[6] = 0x20; p[7] = 0xff; }, // more fragments at the last offset
         (p) => { p[24] = 0; p[25] = 3; },     // UDP length under its header
         (p) => { p[26] = 0xff; p[27] = 0xff; }, // UDP checksum 0xffff
         (p) => { p[10] = 0xff; p[11] = 0xff; }, // header checksum 0xffff
         (p) => { p[0] = 0x65; },              // version 6
         (p) => { p[8] = 0; },                 // TTL 0
       ];
       for (let i = 0; ; i++) {
         const p = base();
         edits[i % edits.length](p);
         sendPacket(p);
         dissect(p);
       }`,
      { limits: { maxPackets: 200 } },
    );
    expect(result.outcome).toBe("network-limit");
    expect(result.message).toContain("200 packets");
    await expectHealthy(runner);
  });

  it("stops fragments that would fill the reassembly buffers at the packet cap", async () => {
    const result = await run(
      runner,
      `import { ipv4Packet, sendPacket } from "net";
       for (let id = 0; ; id++) {
         sendPacket(ipv4Packet({ source: "10.0.0.2", destination: "10.0.0.7", identification: id & 0xffff,
           moreFragments: true, fragmentOffset: (id * 7) % 8000 }, new Uint8Array(1480).fill(id & 255)));
       }`,
    );
    expect(result.outcome).toBe("network-limit");
    await expectHealthy(runner);
  });
});
