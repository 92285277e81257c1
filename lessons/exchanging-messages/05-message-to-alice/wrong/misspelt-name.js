// expect-fail: program-finished
// expect-message: (line 10)
// expect-subject: none
// The misspelt name gets an empty answer, which is not an address: fromBytes throws.
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.tset", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("Hello Alice!", `${Ipv4Addr.fromBytes(answer)}:1000`);
