/* eslint-disable @typescript-eslint/no-explicit-any -- dnspython's verdicts arrive as JSON */
// The name server judged by an independent DNS implementation: dnspython (Debian's
// python3-dnspython, installed by .ci/run) builds each query, the simulated network carries it to
// the name server, and dnspython parses the answer and says whether it answers the query.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNetwork, defaultTopology } from "../../src/netsim/index.ts";

const script = fileURLToPath(new URL("./fixtures/dnspython-check.py", import.meta.url));
// Debian's own interpreter, the one its python3-dnspython package installs into (a python3
// earlier on PATH, such as pyenv's, would not see it).
const interpreter = "/usr/bin/python3";

function python(request: unknown): any {
  const result = spawnSync(interpreter, [script], {
    input: JSON.stringify(request),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`dnspython failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

function topology() {
  const spec = defaultTopology("10.0.0.7");
  // Every name in packetlab.test: the zone the name server is authoritative for.
  spec.records = [
    { name: "ns.packetlab.test", type: "A", value: "10.0.0.53" },
    { name: "deep.below.packetlab.test", type: "A", value: "10.0.0.8" },
    { name: "alice.packetlab.test", type: "A", value: "10.0.0.7" },
    { name: "alice.packetlab.test", type: "AAAA", value: "fd00::7" },
    { name: "alice.packetlab.test", type: "TXT", value: "hello from the records" },
    { name: "www.packetlab.test", type: "CNAME", value: "alice.packetlab.test" },
    { name: "gone.packetlab.test", type: "CNAME", value: "nobody.packetlab.test" },
  ];
  return spec;
}

interface QuerySpec {
  name: string;
  type: string;
  edns?: number;
  do?: boolean;
  payload?: number;
}

/** dnspython's reading of the name server's answer to each query dnspython made. */
function ask(specs: QuerySpec[]): any[] {
  const { queries } = python({ make: specs }) as { queries: string[] };
  const pairs = queries.map((query) => {
    const network = createNetwork({ topology: topology(), seed: 1 });
    const socket = network.learner.bindUdp({ address: "0.0.0.0", port: 0 });
    socket.sendTo(Buffer.from(query, "hex"), { address: "10.0.0.53", port: 53 });
    const result = socket.recvFrom(1_000_000);
    if (result.status !== "received") throw new Error(`no answer to ${query}`);
    return { query, answer: Buffer.from(result.datagram.payload).toString("hex") };
  });
  return python({ check: pairs }).results;
}

describe("the name server, as dnspython sees it", () => {
  it("answers plain queries for A, AAAA, TXT, CNAME and ANY", () => {
    const [a, aaaa, txt, cname, any] = ask([
      { name: "alice.packetlab.test", type: "A" },
      { name: "alice.packetlab.test", type: "AAAA" },
      { name: "alice.packetlab.test", type: "TXT" },
      { name: "www.packetlab.test", type: "A" },
      { name: "alice.packetlab.test", type: "ANY" },
    ]);
    for (const result of [a, aaaa, txt, cname, any])
      expect(result).toMatchObject({ matches: true, rcode: "NOERROR", aa: true, edns: -1 });
    expect(a.answers).toEqual([["alice.packetlab.test.", "A", ["10.0.0.7"]]]);
    expect(aaaa.answers).toEqual([["alice.packetlab.test.", "AAAA", ["fd00::7"]]]);
    expect(txt.answers).toEqual([["alice.packetlab.test.", "TXT", ['"hello from the records"']]]);
    expect(cname.answers).toEqual([
      ["www.packetlab.test.", "CNAME", ["alice.packetlab.test."]],
      ["alice.packetlab.test.", "A", ["10.0.0.7"]],
    ]);
    expect(any.answers.map((rrset: any[]) => rrset[1]).sort()).toEqual(["A", "AAAA", "TXT"]);
  });

  it("preserves the case of the question (0x20)", () => {
    const [result] = ask([{ name: "AlIcE.PaCkEtLaB.tEsT", type: "A" }]);
    expect(result).toMatchObject({ matches: true, rcode: "NOERROR" });
    expect(result.question).toEqual(["AlIcE.PaCkEtLaB.tEsT."]);
    expect(result.answers).toEqual([["AlIcE.PaCkEtLaB.tEsT.", "A", ["10.0.0.7"]]]);
  });

  it("answers EDNS with an OPT record (RFC 6891 §6.1.1), NXDOMAIN too, and copies DO", () => {
    const [plain, dnssec, missing] = ask([
      { name: "alice.packetlab.test", type: "A", edns: 0, payload: 4096 },
      { name: "alice.packetlab.test", type: "A", edns: 0, do: true },
      { name: "nobody.packetlab.test", type: "A", edns: 0 },
    ]);
    expect(plain).toMatchObject({
      matches: true,
      rcode: "NOERROR",
      edns: 0,
      payload: 1232,
      do: false,
    });
    expect(plain.answers).toEqual([["alice.packetlab.test.", "A", ["10.0.0.7"]]]);
    expect(dnssec).toMatchObject({ matches: true, edns: 0, do: true });
    expect(missing).toMatchObject({ matches: true, rcode: "NXDOMAIN", edns: 0 });
  });

  it("answers an EDNS version it does not speak with BADVERS and its own version 0 (§6.1.3)", () => {
    const [result] = ask([{ name: "alice.packetlab.test", type: "A", edns: 1 }]);
    expect(result).toMatchObject({ matches: true, rcode: "BADVERS", edns: 0, answers: [] });
  });

  const SOA = [
    "packetlab.test.",
    "SOA",
    60,
    ["ns.packetlab.test. hostmaster.packetlab.test. 1 3600 600 86400 60"],
  ];

  it("gives the zone apex its SOA and NS (RFC 1035 §6.1)", () => {
    const [soa, ns, any] = ask([
      { name: "packetlab.test", type: "SOA" },
      { name: "packetlab.test", type: "NS" },
      { name: "PacketLab.test", type: "ANY" },
    ]);
    expect(soa).toMatchObject({ matches: true, rcode: "NOERROR", aa: true, authority: [] });
    expect(soa.answers).toEqual([
      [
        "packetlab.test.",
        "SOA",
        ["ns.packetlab.test. hostmaster.packetlab.test. 1 3600 600 86400 60"],
      ],
    ]);
    expect(ns.answers).toEqual([["packetlab.test.", "NS", ["ns.packetlab.test."]]]);
    expect(any.answers.map((rrset: any[]) => rrset[1]).sort()).toEqual(["NS", "SOA"]);
  });

  it("puts the zone's SOA in negative answers: NXDOMAIN and NODATA (RFC 2308 §2–3)", () => {
    const [missing, nodata, mx, viaCname] = ask([
      { name: "nobody.packetlab.test", type: "A", edns: 0 },
      { name: "alice.packetlab.test", type: "SRV" },
      { name: "alice.packetlab.test", type: "MX" },
      { name: "gone.packetlab.test", type: "A" },
    ]);
    expect(missing).toMatchObject({ matches: true, rcode: "NXDOMAIN", aa: true, answers: [] });
    expect(missing.authority).toEqual([SOA]);
    for (const result of [nodata, mx]) {
      expect(result).toMatchObject({ matches: true, rcode: "NOERROR", aa: true, answers: [] });
      expect(result.authority).toEqual([SOA]);
    }
    expect(viaCname).toMatchObject({ matches: true, rcode: "NXDOMAIN" });
    expect(viaCname.answers).toEqual([
      ["gone.packetlab.test.", "CNAME", ["nobody.packetlab.test."]],
    ]);
    expect(viaCname.authority).toEqual([SOA]);
  });

  it("answers NOERROR, not NXDOMAIN, for the apex and names with only names below them (RFC 8020)", () => {
    const [apex, between] = ask([
      { name: "packetlab.test", type: "A" },
      { name: "below.packetlab.test", type: "A" },
    ]);
    for (const result of [apex, between]) {
      expect(result).toMatchObject({ matches: true, rcode: "NOERROR", answers: [] });
      expect(result.authority).toEqual([SOA]);
    }
  });
});
