// expect-fail: asked-name-server
// expect-message: You asked the name server for "packetlab.test"
// expect-subject: name-lookup.name = packetlab.test
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
console.log(answer.length === 4 ? Ipv4Addr.fromBytes(answer).toString() : "unknown name");
