// Graded from the trace and Alice's inbox: a connection made by TcpStream, a message, an answer.
import {
  about,
  defineChecks,
  dropField,
  fail,
  pass,
  printed,
} from "../../../src/grading/kit/index.ts";
import { askedFor, handshake, sentFrom, sentTo } from "../feedback.ts";
import { ALICE_NAME, ALICE_PORT } from "../network.ts";

type Inbox = { inbox?: { protocol: string; text: string }[] } | undefined;

export default defineChecks([
  {
    id: "asked-for-alice",
    title: "You asked the name server for Alice's address",
    weight: 1,
    required: true,
    check: (context) => askedFor(context, ALICE_NAME),
  },
  {
    id: "connected",
    title: "You connected to Alice on TCP port 1000",
    weight: 2,
    required: true,
    check: (context) => handshake(context, "alice", ALICE_PORT, "Alice"),
  },
  {
    id: "message-arrived",
    title: "Alice read your message from the stream",
    weight: 2,
    required: true,
    check: (context) => {
      const message = (context.run.peers.alice as Inbox)?.inbox?.find((m) => m.protocol === "tcp");
      if (message) return pass(`Alice read "${message.text}".`);
      const data = sentTo(context, "alice").find((s) => s.payload.length > 0);
      return data
        ? about(data, dropField(data) ?? "payload").fail("Your data did not reach Alice's program.")
        : fail("You sent Alice no data over the connection.", 'stream.writeAll("…") sends it.');
    },
  },
  {
    id: "printed-reply",
    title: "You printed Alice's answer",
    weight: 2,
    required: true,
    check: (context) => {
      const replies = sentFrom(context, "alice").filter((s) => s.payload.length > 0);
      if (!replies[0]) return fail("Alice's answer never reached you.");
      const output = printed(context.run);
      const shown = replies.find((r) =>
        output.includes(new TextDecoder().decode(r.payload).slice(0, 40)),
      );
      return shown
        ? about(shown, "payload").pass("You printed Alice's answer.")
        : about(replies[0], "payload").fail(
            "Alice answered, but your program did not print her answer.",
            "decodeText(stream.read()) turns her bytes into text.",
          );
    },
  },
  {
    id: "closed",
    title: "Bonus: you ended the conversation with a FIN",
    weight: 1,
    required: false,
    check: (context) => {
      const fin = sentTo(context, "alice").find((s) => s.tcp.flags & 0x001);
      return fin
        ? about(fin, "tcp.flags.fin").pass(
            "You sent a FIN: Alice knew you were done, and answered with hers.",
          )
        : fail("You never sent a FIN.", 'stream.shutdown("write") or stream.close() sends one.');
    },
  },
]);
