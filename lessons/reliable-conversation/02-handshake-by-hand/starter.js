import {
  decodeText,
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

function send(header, payload) {
  const segment = tcpSegment(header, payload, { source: ME, destination: alice });
  sendPacket(ipv4Packet({ source: ME, destination: alice, protocol: IpProtocol.TCP }, segment));
}

// 1. Send a SYN to port 1000 with send({ … }).
// 2. const synAck = dissect(receivePacket(2000))[1];  (the TCP layer)
// 3. Send the ACK, with a message.
