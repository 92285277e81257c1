// A trace is stored without its dissection and dissected again when read (stored-trace.ts):
// what comes back must be exactly the packets the network logged, TCP's relative numbers (which
// depend on the packets before) included; traces stored with their dissection come back as
// they were stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PacketEvent, TopologySpec } from "../../src/netsim/index.ts";
import { dissectPacket } from "../../src/protocols/dissect.ts";
import { fromHex } from "../../src/protocols/hex.ts";
import { createStore, type Store } from "../../src/progress/store.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { gradedRun, packetEvent } from "../helpers/graded-run.ts";
import { bytes, open } from "../netsim/helpers.ts";

let test: TestDatabase;
let store: Store;
beforeAll(async () => {
  test = await openTestDatabase();
  store = createStore(test.db);
});
afterAll(async () => test.close());

const topology: TopologySpec = {
  hosts: [
    { name: "learner", address: "10.0.0.2" },
    { name: "www", address: "10.0.1.80" },
  ],
  // A lossy link: retransmissions and lost packets (no arrivedUs, dropped fates) in the trace.
  links: [{ a: "learner", b: "www", latencyUs: 2000, loss: 0.2 }],
  records: [],
  peers: [{ kind: "web-server", host: "www", page: "<p>page 42</p>" }],
  learnerHost: "learner",
};

/** The packets of two HTTP exchanges over TCP, as the network logged and dissected them. */
function tcpTrace(): PacketEvent[] {
  const network = open(topology);
  for (const path of ["/", "/nope"]) {
    const stream = network.learner.connectTcp({ address: "10.0.1.80", port: 80 }, null);
    stream.write(bytes(`GET ${path} HTTP/1.0\r\n\r\n`));
    while (stream.read(65_536, null).status === "data");
  }
  network.settle();
  return structuredClone([...network.events]);
}

async function storedTrace(packets: PacketEvent[], traceMaxPackets = packets.length) {
  const teacher = await store.accounts.createTeacher("T");
  const klass = await store.accounts.createClass(teacher.id, "C");
  const { learnerId } = (await store.accounts.joinClass(klass.joinCode, "Ada"))!;
  const session = await store.submissions.createSession(learnerId, "exchanging-messages");
  const graded = gradedRun();
  graded.run.packets = packets;
  const { row } = await store.submissions.record({
    learnerId,
    sessionId: session.id,
    code: "connect()",
    language: "javascript",
    startedAt: new Date(),
    finishedAt: new Date(),
    graded,
    traceMaxPackets,
  });
  return row.id;
}

describe("stored traces", () => {
  it("give back the network's own packets, dissected in order as the network did", async () => {
    const packets = tcpTrace();
    expect(packets.some((packet) => packet.fate.status === "dropped")).toBe(true);
    // Relative sequence numbers need the packets before: dissected alone, some packet differs.
    const alone = packets.map((packet) => dissectPacket(fromHex(packet.hex)).layers);
    expect(alone).not.toEqual(packets.map((packet) => packet.layers));

    const id = await storedTrace(packets);
    expect((await store.submissions.findTrace(id))?.packets).toEqual(packets);
    // A kept prefix comes back as that prefix.
    const prefix = await storedTrace(packets, 5);
    expect((await store.submissions.findTrace(prefix))?.packets).toEqual(packets.slice(0, 5));
  });

  it("store each packet without what its bytes tell", async () => {
    const id = await storedTrace(tcpTrace());
    const [row] = await test.db.prisma.$queryRaw<{ keys: string[] }[]>`
      SELECT ARRAY(SELECT DISTINCT jsonb_object_keys(p) ORDER BY 1) AS keys
      FROM submission_traces, jsonb_array_elements(packets) AS p WHERE submission_id = ${id}::uuid`;
    expect(row?.keys).toEqual([
      "arrivedUs",
      "fate",
      "from",
      "hex",
      "length",
      "sentUs",
      "seq",
      "to",
    ]);
  });

  it("give back a trace stored with its dissection as it was stored", async () => {
    const packets = [packetEvent(1), packetEvent(2)];
    // Layers no dissector would give these bytes: they must come from the row, not the bytes.
    packets[0]!.layers = [];
    packets[1]!.summary = "as stored";
    const id = await storedTrace([]);
    await test.db.prisma.$executeRaw`
      UPDATE submission_traces SET packets = ${JSON.stringify(packets)}::jsonb
      WHERE submission_id = ${id}::uuid`;
    expect((await store.submissions.findTrace(id))?.packets).toEqual(packets);
  });
});
