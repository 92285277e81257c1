// expect-fail: sequence-continues
// expect-message: a SYN counts as one byte
// expect-subject: tcp.sequenceNumber
// Sends the ACK with the SYN's own sequence number.
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
const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]).toString();
const send = (header, payload) =>
  sendPacket(
    ipv4Packet(
      { source: ME, destination: alice, protocol: IpProtocol.TCP },
      tcpSegment({ sourcePort: 40000, destinationPort: 1000, ...header }, payload, {
        source: ME,
        destination: alice,
      }),
    ),
  );

send({ sequenceNumber: 1000, syn: true });
const tcp = dissect(receivePacket(2000))[1];
const seq = tcp.fields.find((f) => f.name === "sequenceNumber").value;
send(
  { sequenceNumber: 1000, acknowledgmentNumber: (seq + 1) >>> 0, ack: true, psh: true },
  "hello",
);
try {
  receivePacket(500);
} catch {
  // Nothing more came: the program is done.
}
