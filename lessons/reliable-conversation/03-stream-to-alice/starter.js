import { decodeText, Ipv4Addr, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
console.log(`Alice is at ${alice}`);
// Connect to her TCP port 1000, send a message, print her answer.
