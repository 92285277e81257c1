// The final test, graded from the trace, the web server's log and the output: a name looked
// up, a connection to port 80, a well-formed GET, and this session's page printed.
import { about, defineChecks, fail, pass, printed } from "../../../src/grading/kit/index.ts";
import type { WebRequest } from "../../../src/netsim/peers/web-server.ts";
import { askedFor, handshake, sentTo } from "../feedback.ts";
import { HTTP_PORT, WWW_NAME } from "../network.ts";
import { secretWord } from "../topology.ts";

function requests(peers: Record<string, unknown>): WebRequest[] {
  return (peers.www as { requests?: WebRequest[] } | undefined)?.requests ?? [];
}

const WHY: Record<number, string> = {
  400: "it could not read it",
  404: "there is no such page",
  405: "only GET (and HEAD) are served",
};

export default defineChecks([
  {
    id: "asked-for-www",
    title: "You looked up www.packetlab.test",
    weight: 1,
    required: true,
    check: (context) => askedFor(context, WWW_NAME),
  },
  {
    id: "connected-to-www",
    title: "You connected to the web server on TCP port 80",
    weight: 2,
    required: true,
    check: (context) => handshake(context, "www", HTTP_PORT, "the web server"),
  },
  {
    id: "sent-request",
    title: "The web server answered your GET with 200 OK",
    weight: 3,
    required: true,
    check: (context) => {
      const all = requests(context.run.peers);
      const ok = all.find((r) => r.status === 200);
      if (ok) return pass(`The server answered "${ok.requestLine}" with 200 OK.`);
      const last = all.at(-1);
      const data = sentTo(context, "www").filter((s) => s.payload.length > 0);
      if (last) {
        const detail =
          last.status === 400 && last.version === "HTTP/1.1" && last.host === null
            ? 'HTTP/1.1 requires a Host header: add the line "Host: www.packetlab.test"'
            : (WHY[last.status] ?? "see its answer");
        // The segment that carried the request's first bytes: its request line and headers.
        return about(data[0], "payload").fail(
          `The server answered "${last.requestLine}" with status ${last.status}: ${detail}.`,
          "The request is: GET / HTTP/1.1, then Host: www.packetlab.test, then an empty line; each line ends with \\r\\n.",
        );
      }
      if (data.length > 0) {
        // The request's last bytes show the missing empty line.
        return about(data.at(-1), "payload").fail(
          "The web server is still waiting for the end of your request: a request ends with an empty line, so its last four bytes are \\r\\n\\r\\n.",
        );
      }
      return fail(
        "You sent the web server no request.",
        'stream.writeAll("GET / HTTP/1.1\\r\\n…") sends one.',
      );
    },
  },
  {
    id: "printed-page",
    title: "You printed the page",
    weight: 2,
    required: true,
    check: (context) => {
      const word = secretWord(context.seed);
      const output = printed(context.run);
      if (output.includes(word)) return pass(`You printed the page, with today's word: ${word}.`);
      return output.includes("HTTP/1.")
        ? fail(
            "You printed the server's answer, but not the page itself: today's word is missing.",
            "The page follows the empty line after the headers; read until the end of the stream.",
          )
        : fail("Your program did not print the page: today's word is missing from your output.");
    },
  },
]);
