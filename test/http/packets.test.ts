/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests; the assertions check their shape */
// Packets as a packet list shows them: named by their top protocol, an ICMP error's quote of the
// packet that failed marked as quoted, also for traces stored before packets said so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  classroom,
  expectStatus,
  startTestApp,
  submit,
  type TestApp,
} from "../helpers/app.ts";
import { openApiChecker, type OpenApiChecker } from "../helpers/openapi.ts";

let t: TestApp;
let api: OpenApiChecker;
beforeAll(async () => {
  t = await startTestApp();
  api = await openApiChecker(t.app);
});
afterAll(async () => t.close());

// A datagram to a port nobody listens on: the name server's host answers ICMP port unreachable,
// quoting the datagram's IPv4 and UDP headers.
const closedPort = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("anyone there?", "10.0.0.53:9");
socket.recvFrom();
`;

async function closedPortRun() {
  const { learner } = await classroom(t.app, "Prober");
  const result = expectStatus(
    await submit(t.app, learner.token, learner.session.id, {
      language: "javascript",
      code: closedPort,
    }),
    201,
  );
  return { learner, result };
}

describe("a packet's top protocol", () => {
  it("is icmp for an ICMP error, whose quoted IPv4 and UDP layers are marked", async () => {
    const { result } = await closedPortRun();
    const icmp = result.packets.filter((packet: any) => packet.topProtocol === "icmp");
    expect(icmp.length).toBeGreaterThan(0);
    for (const packet of icmp) {
      expect(packet.layers.map((layer: any) => [layer.protocol, layer.quoted ?? false])).toEqual([
        ["ipv4", false],
        ["icmp", false],
        ["ipv4", true],
        ["udp", true],
      ]);
    }
    const datagram = result.packets.find((packet: any) => packet.topProtocol === "udp");
    expect(datagram.layers.some((layer: any) => layer.quoted)).toBe(false);
    expect(datagram.fate).toEqual({
      status: "dropped",
      reason: "port-unreachable",
      detail: expect.any(String),
    });
  });

  it("is added, with the quoted marks, to traces stored before packets carried it", async () => {
    const { learner, result } = await closedPortRun();
    // As a trace written by an earlier version was: the packets with their dissection, but no
    // topProtocol and no quoted marks.
    await t.db.prisma.$executeRawUnsafe(
      `UPDATE submission_traces SET packets = (
         SELECT jsonb_agg(
           (packet - 'topProtocol') || jsonb_build_object('layers',
             (SELECT jsonb_agg(layer - 'quoted') FROM jsonb_array_elements(packet->'layers') layer)))
         FROM jsonb_array_elements($2::jsonb) packet)
       WHERE submission_id = $1::uuid`,
      result.id,
      JSON.stringify(result.packets),
    );
    const stored = await t.db.prisma.submissionTrace.findUnique({
      where: { submissionId: result.id },
    });
    expect(JSON.stringify(stored?.packets)).not.toMatch(/"topProtocol"|"quoted":/);

    const response = await t.app.inject({
      url: `/v1/submissions/${result.id}/trace`,
      headers: bearer(learner.token),
    });
    api.expectDocumented("GET", "/v1/submissions/{submissionId}/trace", response);
    const trace = expectStatus(response, 200);
    expect(trace.packets.map((packet: any) => packet.topProtocol)).toEqual(
      result.packets.map((packet: any) => packet.topProtocol),
    );
    expect(trace.packets).toEqual(result.packets);
  });
});
