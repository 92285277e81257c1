// The learner API of sandbox/net.d.ts, exercised where it lives: inside the isolate.
import { afterAll, describe, expect, it } from "vitest";
import { lines, run, startRunner } from "../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

async function outputOf(code: string): Promise<string[]> {
  const result = await run(runner, code);
  if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${result.message}`);
  return lines(result);
}

describe("addresses", () => {
  it("parses, prints and compares IPv4 addresses like Rust's Ipv4Addr", async () => {
    const output = await outputOf(`
      import { Ipv4Addr, AddrParseError } from "net";
      const a = Ipv4Addr.parse("10.0.0.7");
      console.log(String(a), a.octets().join("|"), a.equals(new Ipv4Addr(10, 0, 0, 7)));
      console.log(String(Ipv4Addr.fromBytes(new Uint8Array([192, 168, 1, 254]))));
      console.log(String(Ipv4Addr.UNSPECIFIED), String(Ipv4Addr.LOCALHOST));
      for (const bad of ["10.0.0", "10.0.0.256", "010.0.0.1", "a.b.c.d", "1.2.3.4 "]) {
        try { Ipv4Addr.parse(bad); console.log("accepted", bad); }
        catch (e) { console.log(e instanceof AddrParseError, e.name); }
      }`);
    expect(output).toEqual([
      "10.0.0.7 10|0|0|7 true",
      "192.168.1.254",
      "0.0.0.0 127.0.0.1",
      ...Array(5).fill("true AddrParseError"),
    ]);
  });

  it("parses and prints socket addresses", async () => {
    const output = await outputOf(`
      import { SocketAddrV4, Ipv4Addr } from "net";
      const s = SocketAddrV4.parse("10.0.0.53:53");
      console.log(s.toString(), s.ip().toString(), s.port());
      console.log(new SocketAddrV4("10.0.0.7", 1000).toString(), new SocketAddrV4(new Ipv4Addr(1, 2, 3, 4), 0).toString());
      for (const bad of ["10.0.0.53", "10.0.0.53:65536", ":53", "10.0.0.53:x"]) {
        try { SocketAddrV4.parse(bad); console.log("accepted"); } catch (e) { console.log(e.name); }
      }`);
    expect(output).toEqual([
      "10.0.0.53:53 10.0.0.53 53",
      "10.0.0.7:1000 1.2.3.4:0",
      ...Array(4).fill("AddrParseError"),
    ]);
  });
});

describe("sockets", () => {
  it("reports the Rust error kinds for a port in use, a closed socket and a bad timeout", async () => {
    const output = await outputOf(`
      import { UdpSocket } from "net";
      const a = UdpSocket.bind("0.0.0.0:4000");
      const attempts = [
        () => UdpSocket.bind("0.0.0.0:4000"),
        () => UdpSocket.bind("10.0.0.99:0"),
        () => a.setReadTimeout(0),
        () => { a.close(); a.sendTo("x", "10.0.0.7:1000"); },
      ];
      for (const attempt of attempts) {
        try { attempt(); console.log("accepted"); } catch (e) { console.log(e.name, e.kind); }
      }
      console.log(a.readTimeout(), a.localAddr().port());`);
    expect(output).toEqual([
      "IoError AddrInUse",
      "IoError AddrNotAvailable",
      "IoError InvalidInput",
      "IoError NotConnected",
      "null 4000",
    ]);
  });
});

describe("bytes and text", () => {
  it("converts between text, bytes and hex", async () => {
    const output = await outputOf(`
      import { encodeText, decodeText, toHex, fromHex, hexdump } from "net";
      const bytes = encodeText("héllo €😀");
      console.log(toHex(bytes), decodeText(bytes));
      console.log(toHex(fromHex("45 00:00\\n14")), decodeText(new Uint8Array([0xff, 0x41])));
      console.log(hexdump(encodeText("0123456789abcdefXYZ")));
      try { fromHex("abc"); } catch (e) { console.log(e.name); }`);
    expect(output).toEqual([
      "68c3a96c6c6f20e282acf09f9880 héllo €😀",
      "45000014 \uFFFDA",
      "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n" +
        "00000010  58 59 5a                                          |XYZ|",
      "TypeError",
    ]);
  });

  it("formats console output like util.inspect, bytes as hex", async () => {
    const output = await outputOf(`
      import { SocketAddrV4 } from "net";
      const cyclic = { name: "c" }; cyclic.self = cyclic;
      console.log({ a: 1, b: "two", c: [1, [2, [3, [4]]]], d: null, e: undefined });
      console.log(new Uint8Array([0, 15, 255]), [SocketAddrV4.parse("10.0.0.7:1000")]);
      console.log(cyclic, new Map([["k", 1]]), new Set([1]));
      console.log("%s has %d bytes", "packet", 20, "extra");
      console.info(-0, 10n, Symbol("s"), function named() {}, class K {});
      console.warn(new Error("careful").message);`);
    expect(output).toEqual([
      "{ a: 1, b: 'two', c: [ 1, [ 2, [Array] ] ], d: null, e: undefined }",
      "<Uint8Array(3) 00 0f ff> [ 10.0.0.7:1000 ]",
      "{ name: 'c', self: [Circular] } Map(1) { 'k' => 1 } Set(1) { 1 }",
      "packet has 20 bytes extra",
      "-0 10n Symbol(s) [Function: named] [class K]",
      "careful",
    ]);
  });
});

describe("hand-built packets", () => {
  it("builds a UDP datagram in an IPv4 packet that the network delivers to Alice", async () => {
    const result = await run(
      runner,
      `import { ipv4Packet, udpDatagram, sendPacket, dissect, IpProtocol, toHex } from "net";
       const addresses = { source: "10.0.0.2", destination: "10.0.0.7" };
       const udp = udpDatagram({ sourcePort: 4000, destinationPort: 1000 }, "by hand", addresses);
       const packet = ipv4Packet({ ...addresses, ttl: 9, protocol: IpProtocol.UDP }, udp);
       const layers = dissect(packet);
       console.log(layers.map((l) => l.protocol).join(","), layers[0].checksum, packet.length);
       console.log(toHex(packet).slice(0, 4));
       sendPacket(packet);`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)[0]).toMatch(/^ipv4,udp(,payload)? valid 35$/);
    expect(lines(result)[1]).toBe("4500");
    expect(result.packets[0]?.fate.status).toBe("delivered");
    expect(JSON.stringify(result.peers)).toContain("by hand");
  });
});
