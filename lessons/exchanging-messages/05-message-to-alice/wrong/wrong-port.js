// expect-fail: reached-alice
// expect-message: Alice listens on port 1000; you sent to 100.
// expect-subject: udp.destinationPort = 100
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("Hello Alice!", `${Ipv4Addr.fromBytes(answer)}:100`);
