// expect-fail: sent-syn
// expect-message: Alice listens on TCP port 1000
// expect-subject: tcp.destinationPort = 100
import {
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
const syn = tcpSegment(
  { sourcePort: 40000, destinationPort: 100, sequenceNumber: 1, syn: true },
  undefined,
  { source: ME, destination: alice },
);
sendPacket(ipv4Packet({ source: ME, destination: alice, protocol: IpProtocol.TCP }, syn));
try {
  receivePacket(500);
} catch {
  // Nothing more came: the program is done.
}
