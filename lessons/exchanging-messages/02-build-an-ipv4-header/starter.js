// Build an IPv4 packet by hand and put it on the wire.
import { fromHex, ipv4Packet, Ipv4Addr, sendPacket, toHex, UdpSocket } from "net";

// A UDP datagram from port 40000 to port 53, asking for "www.packetlab.test".
// Its checksum is 0, which in UDP over IPv4 means "not computed".
const datagram = fromHex("9c40 0035 001a 0000 7777772e7061636b65746c61622e74657374");

// The answer will come back to port 40000: listen there.
const socket = UdpSocket.bind("0.0.0.0:40000");

const packet = ipv4Packet(
  {
    source: "0.0.0.0", // TODO: your address
    destination: "0.0.0.0", // TODO: the name server's address
    protocol: 0, // TODO: the payload is UDP
    ttl: 0, // TODO
    totalLength: 20, // TODO: header and payload
    headerChecksum: 0, // TODO: compute it, or leave the line out
  },
  datagram,
);
console.log(toHex(packet));
sendPacket(packet);

socket.setReadTimeout(2000);
try {
  const [answer] = socket.recvFrom();
  console.log(`The name server answered: ${Ipv4Addr.fromBytes(answer)}`);
} catch {
  console.log("No answer: look for your packet in the packet list to see why.");
}
