import {
  dissect,
  Ipv4Addr,
  IpProtocol,
  ipv4Packet,
  receivePacket,
  sendPacket,
  tcpSegment,
  UdpSocket,
} from "net";

const ME = "10.0.0.2";
const PORT = 40000;
const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]).toString();

function send(header, payload) {
  const segment = tcpSegment({ sourcePort: PORT, destinationPort: 1000, ...header }, payload, {
    source: ME,
    destination: alice,
  });
  sendPacket(ipv4Packet({ source: ME, destination: alice, protocol: IpProtocol.TCP }, segment));
}

/** The TCP layer of the next segment from Alice, with its fields by name. */
function receive() {
  for (;;) {
    const layers = dissect(receivePacket(2000));
    const tcp = layers.find((layer) => layer.protocol === "tcp");
    if (!tcp) continue;
    const field = (name) => tcp.fields.find((f) => f.name === name).value;
    const data = layers.find((layer) => layer.protocol === "payload");
    return {
      seq: field("sequenceNumber"),
      ack: field("acknowledgmentNumber"),
      data,
      summary: tcp.summary,
    };
  }
}

const mine = 1000;
send({ sequenceNumber: mine, syn: true, options: [{ kind: "mss", value: 1460 }] });
const synAck = receive();
console.log(`SYN-ACK: ${synAck.summary}`);

send(
  {
    sequenceNumber: (mine + 1) >>> 0,
    acknowledgmentNumber: (synAck.seq + 1) >>> 0,
    ack: true,
    psh: true,
  },
  "Hello Alice, this connection is hand-made!",
);
const answer = receive();
console.log(`Alice: ${answer.data ? answer.data.fields[0].value : "(no data)"}`);
