// expect-fail: connected
// expect-message: sent no SYN
// expect-subject: none
// Sends the message as a UDP datagram: no connection at all.
import { decodeText, Ipv4Addr, SocketAddrV4, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(socket.recvFrom()[0]);
socket.sendTo("Hello Alice", new SocketAddrV4(alice, 1000));
console.log(decodeText(socket.recvFrom()[0]));
