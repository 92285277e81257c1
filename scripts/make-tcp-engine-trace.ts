// Writes test/fixtures/protocols/corpus/engine-conversation.hex: a TCP conversation as the
// simulated network carries it (learner ⇄ Alice over a link losing 10 % of packets, seed 11),
// one packet per line in trace order. make-protocol-corpus.py adds these packets to the corpus,
// so tshark checks the engine's real segments, retransmissions and duplicate ACKs too.
// Run: npx tsx scripts/make-tcp-engine-trace.ts (then the corpus script).
import { writeFileSync } from "node:fs";
import { createNetwork } from "../src/netsim/index.ts";

const network = createNetwork({
  seed: 11,
  topology: {
    hosts: [
      { name: "learner", address: "10.0.0.2" },
      { name: "alice", address: "10.0.1.7" },
    ],
    links: [{ a: "learner", b: "alice", latencyUs: 5000, loss: 0.1, reorder: 0.05 }],
    records: [],
    peers: [{ kind: "alice", host: "alice", tcpPort: 1000 }],
    learnerHost: "learner",
  },
});
const stream = network.learner.connectTcp({ address: "10.0.1.7", port: 1000 }, null);
const letter = new TextEncoder().encode("Dear Alice, ".repeat(600));
let sent = 0;
while (sent < letter.length) sent += stream.write(letter.subarray(sent));
stream.shutdown("write");
for (;;) {
  const result = stream.read(65_536, null);
  if (result.status !== "data") break;
}
stream.close();
network.settle();
const out = new URL("../test/fixtures/protocols/corpus/engine-conversation.hex", import.meta.url);
writeFileSync(out, network.events.map((e) => e.hex).join("\n") + "\n");
console.log(
  `${network.events.length} packets, ${network.events.filter((e) => e.fate.status === "dropped").length} lost, ${network.events.filter((e) => e.summary.includes("[retransmission]")).length} retransmissions`,
);
