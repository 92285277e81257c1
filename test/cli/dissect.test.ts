import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../fixtures/protocols/corpus/${name}`, import.meta.url));
// scapy: IP(src="10.0.0.2", dst="10.0.0.53", id=0x1234)/UDP(sport=49152, dport=53)/b"alice.example"
const REQUEST =
  "45000029123400004011545a0a0000020a000035c000003500155f07616c6963652e6578616d706c65";

describe("packetlab dissect", () => {
  it("prints the fields of a packet given as hex with -V", async () => {
    const io = captureIo();
    expect(await main(["dissect", "-V", REQUEST], io)).toBe(0);
    expect(io.stdout).toContain(
      "10.0.0.2:49152 → 10.0.0.53:53 UDP, 13 bytes: who is alice.example?",
    );
    expect(io.stdout).toMatch(/ttl\s+bits 64\+8\s+Time to Live: 64/);
    expect(io.stdout).toMatch(/checksum\s+bits 208\+16\s+Checksum: 0x5f07 \(valid\)/);
  });

  it("reads one hex packet a line from standard input, as JSON", async () => {
    const io = captureIo(`# a comment\n${REQUEST}\n\n45 00 00 14\n`);
    expect(await main(["dissect", "--json"], io)).toBe(0);
    const out = JSON.parse(io.stdout) as {
      hex: string;
      layers: { protocol: string; errors: string[] }[];
    }[];
    expect(out).toHaveLength(2);
    expect(out[0]!.hex).toBe(REQUEST);
    expect(out[0]!.layers.map((l) => l.protocol)).toEqual(["ipv4", "udp", "name-lookup"]);
    expect(out[1]!.layers[0]!.errors).toEqual([
      "an IPv4 header needs at least 20 bytes, only 4 captured",
    ]);
  });

  it("decodes a pcap written by scapy, given as a path or with --pcap", async () => {
    const io = captureIo();
    expect(await main(["dissect", "--verbose", fixture("corpus.pcap")], io)).toBe(0);
    expect(io.stdout).toContain("Standard query 0xbeef A alice.example");
    expect(io.stdout).toContain("! UDP length 30 exceeds the 12 bytes left in the IP packet");
    const ethernet = captureIo();
    expect(await main(["dissect", "--json", "--pcap", fixture("ethernet.pcap")], ethernet)).toBe(0);
    expect(JSON.parse(ethernet.stdout)).toHaveLength(5);
    expect(ethernet.stderr).toContain("record 2 is ARP, not IPv4: skipped");
  });

  it("lists one line a packet by default, as tshark does, with a hex dump on -x", async () => {
    const io = captureIo();
    expect(await main(["dissect", fixture("corpus.pcap")], io)).toBe(0);
    const lines = io.stdout.trimEnd().split("\n");
    const json = captureIo();
    await main(["dissect", "--json", fixture("corpus.pcap")], json);
    expect(lines).toHaveLength(JSON.parse(json.stdout).length);
    expect(lines[0]).toMatch(
      /^ {4}1 {4}0\.000000 +10\.0\.0\.2 → 10\.0\.1\.7 +UDP +41 port 49152 → 1000/,
    );
    expect(io.stdout).toMatch(/10\.0\.0\.53 → 10\.0\.0\.2 +DNS +\d+ Standard query response/);
    expect(io.stdout).toMatch(/ICMP +\d+ Destination Unreachable/);
    expect(io.stdout).toContain("[malformed]");

    const dump = captureIo();
    expect(await main(["dissect", "-x", REQUEST], dump)).toBe(0);
    expect(dump.stdout).toContain("DNS      41 who is alice.example?");
    expect(dump.stdout).toContain(
      "0000  45 00 00 29 12 34 00 00  40 11 54 5a 0a 00 00 02   E..).4..@.TZ....",
    );
    expect(dump.stdout).toContain("0020  65 2e 65 78 61 6d 70 6c  65");
    expect(dump.stdout).toMatch(/ 65 +e\.example$/m);
  });

  it("gives every field's Wireshark display-filter name in --json", async () => {
    const io = captureIo();
    expect(await main(["dissect", "--json", fixture("corpus.pcap")], io)).toBe(0);
    type JsonField = { name: string; wireshark?: string; value: unknown; children?: JsonField[] };
    const out = JSON.parse(io.stdout) as { layers: { fields: JsonField[] }[] }[];
    const named = new Map<string, unknown>();
    const visit = (f: JsonField) => {
      if (f.wireshark) named.set(f.wireshark, f.value);
      f.children?.forEach(visit);
    };
    for (const packet of out) for (const layer of packet.layers) layer.fields.forEach(visit);
    for (const name of [
      "ip.ttl",
      "ip.opt.ptr",
      "udp.checksum",
      "icmp.mtu",
      "dns.a",
      "dns.mx.preference",
      "dns.soa.serial_number",
      "dns.srv.port",
      "dns.rr.udp_payload_size",
    ]) {
      expect(named.has(name), name).toBe(true);
    }
  });

  it("exits 1 with a clear message for input it cannot read", async () => {
    const pcapng = captureIo();
    expect(await main(["dissect", fixture("corpus.pcapng")], pcapng)).toBe(1);
    expect(pcapng.stderr).toContain("pcapng file, not classic pcap");
    const badHex = captureIo();
    expect(await main(["dissect", "4500 001"], badHex)).toBe(1);
    expect(badHex.stderr).toContain("odd number of hex digits (7)");
    const missing = captureIo();
    expect(await main(["dissect", "--pcap", "/nonexistent/x.pcap"], missing)).toBe(1);
    expect(missing.stderr).toContain("cannot read /nonexistent/x.pcap: ENOENT");
  });

  it("prints help, and asks for packets when given none", async () => {
    const help = captureIo();
    expect(await main(["dissect", "--help"], help)).toBe(0);
    expect(help.stdout).toContain("usage: packetlab dissect");
    const none = captureIo();
    expect(await main(["dissect"], none)).toBe(1);
    expect(none.stderr).toContain("no packets given");
  });
});
