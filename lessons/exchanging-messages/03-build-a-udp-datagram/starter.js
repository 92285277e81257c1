// Build a UDP datagram, wrap it in IPv4, and send it to the name server by hand.
import { ipv4Packet, Ipv4Addr, sendPacket, udpDatagram, UdpSocket } from "net";

const ME = "10.0.0.2";
const NAME_SERVER = "10.0.0.53";

const socket = UdpSocket.bind("0.0.0.0:40000");

const datagram = udpDatagram(
  {
    sourcePort: 0, // TODO: where the answer should come back
    destinationPort: 0, // TODO: the name server's port
    length: 8, // TODO: header and payload
    checksum: 0, // TODO: compute it (or leave the line out)
  },
  "www.packetlab.test",
  { source: ME, destination: NAME_SERVER }, // for the pseudo-header
);

sendPacket(ipv4Packet({ source: ME, destination: NAME_SERVER, protocol: 17, ttl: 64 }, datagram));

socket.setReadTimeout(2000);
const [answer] = socket.recvFrom();
console.log(`www.packetlab.test is at ${Ipv4Addr.fromBytes(answer)}`);
