import { describe, expect, it } from "vitest";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { encodeIpv4, IP_PROTOCOL } from "../../src/protocols/ipv4.ts";
import {
  decodeTcp,
  encodeTcp,
  encodeTcpOptions,
  parseTcpOptions,
} from "../../src/protocols/tcp.ts";
import { createTcpConversations } from "../../src/protocols/tcp-conversations.ts";

const addresses = { source: "10.0.0.2", destination: "10.0.1.7" };

describe("TCP segments (RFC 9293 §3.1)", () => {
  it("round-trips every header field and option, with a valid checksum", () => {
    const options = [
      { kind: "mss", value: 1460 },
      { kind: "sackPermitted" },
      { kind: "timestamps", value: 7, echoReply: 0 },
      { kind: "nop" },
      { kind: "windowScale", shift: 7 },
    ] as const;
    const segment = encodeTcp(
      {
        sourcePort: 49152,
        destinationPort: 80,
        sequenceNumber: 0xfffffff0,
        acknowledgmentNumber: 4001,
        syn: true,
        ack: true,
        window: 512,
        urgentPointer: 0,
        options: [...options],
      },
      new TextEncoder().encode("hi"),
      addresses,
    );
    const decoded = decodeTcp(segment, addresses);
    expect(decoded.errors).toEqual([]);
    expect(decoded.checksumStatus).toBe("valid");
    expect(decoded.header).toMatchObject({
      sourcePort: 49152,
      destinationPort: 80,
      sequenceNumber: 0xfffffff0,
      acknowledgmentNumber: 4001,
      dataOffset: 10,
      flags: 0x012,
      window: 512,
      options: [...options],
    });
    expect(new TextDecoder().decode(decoded.payload)).toBe("hi");
  });

  it("writes a given checksum as is, and the receiver sees it is wrong", () => {
    const segment = encodeTcp(
      { sourcePort: 1, destinationPort: 2, checksum: 0x1234 },
      new Uint8Array(0),
      addresses,
    );
    expect(decodeTcp(segment, addresses).checksumStatus).toBe("invalid");
  });

  it("refuses options that cannot be encoded, and reports malformed ones", () => {
    expect(() => encodeTcpOptions([{ kind: "mss", value: 70000 }])).toThrow(/MSS/);
    expect(() => encodeTcpOptions(Array(41).fill({ kind: "nop" }))).toThrow(/40 bytes/);
    expect(parseTcpOptions(Uint8Array.of(2, 0, 0, 0)).errors[0]).toMatch(/length 0/);
    expect(parseTcpOptions(Uint8Array.of(8, 10, 0, 0)).errors[0]).toMatch(/past the end/);
  });

  it("shows sequence numbers relative to each side's SYN, as Wireshark does", () => {
    const conversations = createTcpConversations();
    const packet = (from: string, to: string, fields: Parameters<typeof encodeTcp>[0]) =>
      encodeIpv4(
        { source: from, destination: to, protocol: IP_PROTOCOL.TCP },
        encodeTcp(fields, new Uint8Array(0), { source: from, destination: to }),
      );
    const a = "10.0.0.2";
    const b = "10.0.1.7";
    dissectPacket(
      packet(a, b, { sourcePort: 5, destinationPort: 80, sequenceNumber: 1000, syn: true }),
      conversations,
    );
    const synAck = dissectPacket(
      packet(b, a, {
        sourcePort: 80,
        destinationPort: 5,
        sequenceNumber: 4000,
        acknowledgmentNumber: 1001,
        syn: true,
        ack: true,
      }),
      conversations,
    );
    const tcp = synAck.layers[1]!;
    const ack = tcp.fields.find((f) => f.name === "acknowledgmentNumber")!;
    expect(ack.value).toBe(1001);
    expect(ack.children![0]!.value).toBe(1);
    expect(synAck.topProtocol).toBe("tcp");
    expect(synAck.summary).toContain("[SYN, ACK] seq 4000 ack 1001");
  });

  it("marks retransmissions and duplicate ACKs in the summary, as Wireshark's analysis does", () => {
    const conversations = createTcpConversations();
    const a = "10.0.0.2";
    const b = "10.0.1.7";
    const send = (from: string, to: string, fields: Parameters<typeof encodeTcp>[0], data = "") =>
      dissectPacket(
        encodeIpv4(
          { source: from, destination: to, protocol: IP_PROTOCOL.TCP },
          encodeTcp(fields, new TextEncoder().encode(data), { source: from, destination: to }),
        ),
        conversations,
      ).summary;
    const data = { sourcePort: 80, destinationPort: 5, acknowledgmentNumber: 1, ack: true };
    const ack = { sourcePort: 5, destinationPort: 80, sequenceNumber: 1, ack: true };
    send(b, a, { ...data, sequenceNumber: 100 }, "x".repeat(10));
    expect(send(a, b, { ...ack, acknowledgmentNumber: 110 })).not.toContain("duplicate");
    send(b, a, { ...data, sequenceNumber: 120 }, "x".repeat(10));
    expect(send(a, b, { ...ack, acknowledgmentNumber: 110 })).toContain("[duplicate ACK #1]");
    expect(send(b, a, { ...data, sequenceNumber: 110 }, "x".repeat(10))).toContain(
      "[retransmission]",
    );
  });
});
