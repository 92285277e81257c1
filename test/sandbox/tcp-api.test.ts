// The TCP half of sandbox/net.d.ts inside the isolate: TcpStream, TcpListener, and hand-built
// segments with receivePacket, on a network with Alice on TCP and a web server.
import { afterAll, describe, expect, it } from "vitest";
import type { TopologySpec } from "../../src/netsim/types.ts";
import { lines, run, startRunner } from "../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const topology: TopologySpec = {
  hosts: [
    { name: "learner", address: "10.0.0.2" },
    { name: "alice", address: "10.0.0.7" },
    { name: "www", address: "10.0.0.80" },
  ],
  links: [
    { a: "learner", b: "alice", latencyUs: 5000 },
    { a: "learner", b: "www", latencyUs: 5000 },
  ],
  records: [],
  peers: [
    { kind: "alice", host: "alice", tcpPort: 1000 },
    { kind: "web-server", host: "www", page: "<p>hi</p>" },
    { kind: "tcp-caller", host: "alice", port: 5000, message: "knock knock" },
  ],
  learnerHost: "learner",
};

async function outputOf(code: string): Promise<string[]> {
  const result = await run(runner, code, { topology });
  if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${result.message}`);
  return lines(result);
}

describe("TcpStream and TcpListener", () => {
  it("talks to Alice, fetches a page, and reports refused connections as Rust does", async () => {
    const output = await outputOf(`
      import { TcpStream, IoError, decodeText } from "net";
      const alice = TcpStream.connect("10.0.0.7:1000");
      console.log(alice.peerAddr().toString(), alice.localAddr().ip().toString());
      alice.writeAll("hello");
      console.log(decodeText(alice.read()));
      alice.shutdown("write");
      console.log(alice.read().length);
      const web = TcpStream.connect("10.0.0.80:80");
      web.writeAll("GET / HTTP/1.0\\r\\n\\r\\n");
      const page = web.readToString();
      console.log(page.split("\\r\\n")[0], page.endsWith("<p>hi</p>"));
      try { TcpStream.connect("10.0.0.80:81"); } catch (e) { console.log(e instanceof IoError, e.kind); }
      console.log(alice.read().length);
      const quiet = TcpStream.connect("10.0.0.7:1000");
      quiet.setReadTimeout(50);
      try { quiet.read(); } catch (e) { console.log(e.kind); }
    `);
    expect(output).toEqual([
      "10.0.0.7:1000 10.0.0.2",
      "Hi, this is Alice. I got your message: hello",
      "0",
      "HTTP/1.0 200 OK true",
      "true ConnectionRefused",
      "0",
      "WouldBlock",
    ]);
  });

  it("accepts a connection from a peer", async () => {
    const output = await outputOf(`
      import { TcpListener, decodeText } from "net";
      const listener = TcpListener.bind("0.0.0.0:5000");
      const [stream, from] = listener.accept();
      console.log(from.toString(), decodeText(stream.read()));
      stream.writeAll("who's there?");
      stream.close();
    `);
    expect(output[0]).toMatch(/^10\.0\.0\.7:\d+ knock knock$/);
  });

  it("builds segments by hand and reads the answers with receivePacket", async () => {
    const output = await outputOf(`
      import { tcpSegment, ipv4Packet, sendPacket, receivePacket, dissect, IpProtocol } from "net";
      const me = "10.0.0.2", alice = "10.0.0.7";
      const syn = tcpSegment({ sourcePort: 40000, destinationPort: 1000, sequenceNumber: 1000, syn: true,
        options: [{ kind: "mss", value: 1460 }] }, undefined, { source: me, destination: alice });
      sendPacket(ipv4Packet({ source: me, destination: alice, protocol: IpProtocol.TCP }, syn));
      const reply = receivePacket(1000);
      const tcp = dissect(reply)[1];
      const field = (name) => tcp.fields.find((f) => f.name === name).value;
      console.log(tcp.protocol, field("acknowledgmentNumber"), tcp.summary.includes("[SYN, ACK]"));
      const ack = tcpSegment({ sourcePort: 40000, destinationPort: 1000, sequenceNumber: 1001,
        acknowledgmentNumber: field("sequenceNumber") + 1, ack: true }, "hi", { source: me, destination: alice });
      sendPacket(ipv4Packet({ source: me, destination: alice, protocol: IpProtocol.TCP }, ack));
      const answer = dissect(receivePacket(1000));
      console.log(answer[1].summary.includes("ack 1003"));
      try { tcpSegment({ sourcePort: 1, destinationPort: 2, options: [{ kind: "mss", value: 1e6 }] }, "", { source: me, destination: alice }); }
      catch (e) { console.log(e.name); }
    `);
    expect(output).toEqual(["tcp 1001 true", "true", "TypeError"]);
  });
});
