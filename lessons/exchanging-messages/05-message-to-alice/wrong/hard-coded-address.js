// expect-fail: reached-alice
// expect-message: You sent to 10.0.3.7 (port 1000), but the name server said Alice is at
// expect-subject: ipv4.destination = 10.0.3.7
// Asks, but then sends to an address copied from another session.
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
socket.recvFrom();
socket.sendTo("Hello Alice!", "10.0.3.7:1000");
