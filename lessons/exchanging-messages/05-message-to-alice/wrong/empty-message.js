// expect-fail: message-not-empty
// expect-message: but it was empty
// expect-subject: udp.length = 8
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("", `${Ipv4Addr.fromBytes(answer)}:1000`);
