import { describe, expect, it } from "vitest";
import {
  decodeDns,
  DNS_RCODE,
  DNS_TYPE,
  encodeDns,
  type DnsMessage,
} from "../../src/protocols/dns.ts";
import { decodeNameAnswer } from "../../src/protocols/name-lookup.ts";
import { createNetwork, defaultTopology, type TopologySpec } from "../../src/netsim/index.ts";
import { bytes } from "./helpers.ts";

const NS = { address: "10.0.0.53", port: 53 };

function topologyWithRecords(): TopologySpec {
  const topology = defaultTopology("10.0.0.9");
  topology.records.push(
    { name: "www.alice", type: "CNAME", value: "web.alice" },
    { name: "web.alice", type: "CNAME", value: "alice" },
    { name: "alice", type: "AAAA", value: "fd00::7" },
    { name: "alice", type: "TXT", value: "hello from the records" },
  );
  return topology;
}

function query(name: string, type: number, id = 0x1234): Uint8Array {
  const message: DnsMessage = {
    id,
    flags: { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: 0, rcode: 0 },
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
  };
  return encodeDns(message);
}

function ask(payload: Uint8Array) {
  const network = createNetwork({ topology: topologyWithRecords(), seed: 1 });
  const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
  socket.sendTo(payload, NS);
  const result = socket.recvFrom(1_000_000);
  return { network, result };
}

describe("name server, the lesson's simple protocol", () => {
  it("answers a name with the 4 bytes of its address", () => {
    const { network, result } = ask(bytes("alice"));
    expect(result.status).toBe("received");
    if (result.status !== "received") return;
    expect(decodeNameAnswer(result.datagram.payload)).toBe("10.0.0.9");
    expect(result.datagram.from).toEqual(NS);
    const ns = network.peerStates().ns as { queries: unknown[] };
    expect(ns.queries).toEqual([
      expect.objectContaining({
        protocol: "simple",
        name: "alice",
        type: "A",
        answer: ["10.0.0.9"],
      }),
    ]);
  });

  it("tolerates case, a trailing dot and a newline, and follows CNAMEs", () => {
    for (const name of ["ALICE", "alice.", "alice\n", "www.alice"]) {
      const { result } = ask(bytes(name));
      expect(result.status === "received" && decodeNameAnswer(result.datagram.payload)).toBe(
        "10.0.0.9",
      );
    }
  });

  it("answers an unknown name with an empty payload", () => {
    const { network, result } = ask(bytes("bob"));
    expect(result.status === "received" && result.datagram.payload.length).toBe(0);
    expect(
      (network.peerStates().ns as { queries: { answer: string[] }[] }).queries[0]?.answer,
    ).toEqual([]);
  });
});

describe("name server, DNS (RFC 1035)", () => {
  const answerOf = (payload: Uint8Array) => {
    const { result, network } = ask(payload);
    expect(result.status).toBe("received");
    if (result.status !== "received") throw new Error("no answer");
    const decoded = decodeDns(result.datagram.payload);
    expect(decoded.errors).toEqual([]);
    return { message: decoded.message!, network };
  };

  it("answers an A query authoritatively, echoing the ID and question", () => {
    const { message, network } = answerOf(query("alice", DNS_TYPE.A, 0xbeef));
    expect(message.id).toBe(0xbeef);
    expect(message.flags).toMatchObject({ qr: true, aa: true, rd: true, rcode: DNS_RCODE.NOERROR });
    expect(message.questions).toEqual([{ name: "alice", type: DNS_TYPE.A, class: 1 }]);
    expect(message.answers.map((a) => a.data)).toEqual([{ kind: "A", address: "10.0.0.9" }]);
    const ns = network.peerStates().ns as { queries: unknown[] };
    expect(ns.queries).toEqual([
      expect.objectContaining({
        protocol: "dns",
        name: "alice",
        type: "A",
        rcode: "NOERROR",
        answer: ["10.0.0.9"],
      }),
    ]);
  });

  it("follows a CNAME chain and includes each CNAME in the answer", () => {
    const { message } = answerOf(query("WWW.Alice.", DNS_TYPE.A));
    // Names compare case-insensitively (RFC 1035 §2.3.3); compression may keep the query's case.
    const lower = (name: string) => name.toLowerCase().replace(/\.$/, "");
    const answers = message.answers.map((a) => [
      lower(a.name),
      a.data.kind === "CNAME" ? { kind: "CNAME", name: lower(a.data.name) } : a.data,
    ]);
    expect(answers).toEqual([
      ["www.alice", { kind: "CNAME", name: "web.alice" }],
      ["web.alice", { kind: "CNAME", name: "alice" }],
      ["alice", { kind: "A", address: "10.0.0.9" }],
    ]);
  });

  it("answers AAAA and TXT from the records", () => {
    expect(answerOf(query("alice", DNS_TYPE.AAAA)).message.answers[0]?.data).toMatchObject({
      kind: "AAAA",
    });
    expect(answerOf(query("alice", DNS_TYPE.TXT)).message.answers[0]?.data).toEqual({
      kind: "TXT",
      strings: ["hello from the records"],
    });
  });

  it("says NXDOMAIN for an unknown name and NOERROR with no answers for a missing type", () => {
    const unknown = answerOf(query("bob", DNS_TYPE.A)).message;
    expect(unknown.flags.rcode).toBe(DNS_RCODE.NXDOMAIN);
    expect(unknown.answers).toEqual([]);
    const noData = answerOf(query("ns", DNS_TYPE.AAAA)).message;
    expect(noData.flags.rcode).toBe(DNS_RCODE.NOERROR);
    expect(noData.answers).toEqual([]);
  });

  it("answers a query with a broken question section with FORMERR", () => {
    const broken = query("alice", DNS_TYPE.A).slice(0, 15); // header + a cut-off name
    const { message, network } = answerOf(broken);
    expect(message.flags.rcode).toBe(DNS_RCODE.FORMERR);
    expect(message.id).toBe(0x1234);
    expect((network.peerStates().ns as { queries: { rcode: string }[] }).queries[0]?.rcode).toBe(
      "FORMERR",
    );
  });

  it("ignores a message too short to hold a DNS header", () => {
    const { result, network } = ask(new Uint8Array([0x12, 0x00, 0x01]));
    expect(result.status).toBe("idle");
    expect((network.peerStates().ns as { queries: { rcode: string }[] }).queries[0]?.rcode).toBe(
      "ignored",
    );
  });
});
