// Graded from Alice's inbox and the trace: the whole letter arrived over TCP despite the losses.
import { about, defineChecks, fail, pass, printed } from "../../../src/grading/kit/index.ts";
import { DEFAULT_ALICE_REPLY } from "../../../src/netsim/peers/alice.ts";
import { sentTo } from "../feedback.ts";
import { LETTER_FILE } from "../network.ts";

type Alice = { inbox?: { protocol: string; text: string; length: number }[] } | undefined;

export default defineChecks([
  {
    id: "letter-arrived",
    title: "The whole letter reached Alice, in order",
    weight: 3,
    required: true,
    check: (context) => {
      const letter = new TextDecoder().decode(context.files[LETTER_FILE]);
      const inbox = (context.run.peers.alice as Alice)?.inbox ?? [];
      const overTcp = inbox
        .filter((m) => m.protocol === "tcp")
        .map((m) => m.text)
        .join("");
      if (overTcp === letter) {
        const lost = context.run.packets.filter(
          (e) => e.fate.status === "dropped" && e.fate.reason === "lost",
        ).length;
        const seen = new Set<number>();
        let again = 0;
        for (const segment of sentTo(context, "alice")) {
          if (segment.payload.length === 0) continue;
          if (seen.has(segment.tcp.sequenceNumber)) again++;
          seen.add(segment.tcp.sequenceNumber);
        }
        return pass(
          `Alice read all ${letter.length} bytes in order, although the link lost ${lost} packets; ` +
            `your system sent ${again} of its segments a second time (look for repeated sequence numbers).`,
        );
      }
      if (overTcp.length === 0) {
        return inbox.length > 0
          ? fail(
              `Alice got ${inbox.length} UDP datagrams, but nothing over TCP; on this link some datagrams are lost for good.`,
              "Send the letter over a TcpStream to her port 1000.",
            )
          : fail("Alice read nothing from you.");
      }
      if (letter.startsWith(overTcp)) {
        return fail(
          `Alice read only the first ${overTcp.length} of the letter's ${letter.length} bytes.`,
          "writeAll() sends every byte; write() may take only part of them.",
        );
      }
      return fail(`What Alice read over TCP (${overTcp.length} bytes) is not the letter.`);
    },
  },
  {
    id: "finished-sending",
    title: "You told Alice the letter was complete (FIN)",
    weight: 2,
    required: true,
    check: (context) => {
      const fin = sentTo(context, "alice").find((s) => s.tcp.flags & 0x001);
      return fin
        ? about(fin, "tcp.flags.fin").pass(
            "You sent a FIN after the letter: Alice read to its end and closed her side too.",
          )
        : fail(
            "You never told Alice the letter was complete: no FIN left your computer.",
            'stream.shutdown("write") sends a FIN after the queued data.',
          );
    },
  },
  {
    id: "printed-answer-size",
    title: "Bonus: you printed how many bytes Alice sent back",
    weight: 1,
    required: false,
    check: (context) => {
      // Alice answers each piece she reads with her reply around it.
      const encoder = new TextEncoder();
      const total = ((context.run.peers.alice as Alice)?.inbox ?? [])
        .filter((m) => m.protocol === "tcp")
        .reduce(
          (sum, m) =>
            sum + encoder.encode(DEFAULT_ALICE_REPLY.replace("{message}", () => m.text)).length,
          0,
        );
      return new RegExp(`\\b${total}\\b`).test(printed(context.run))
        ? pass(`You printed ${total}: every byte Alice sent, each counted once.`)
        : fail(
            `Alice sent back ${total} bytes; your output does not say so.`,
            "stream.readToEnd() reads until her FIN; print its length.",
          );
    },
  },
]);
