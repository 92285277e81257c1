// expect-fail: asked-for-alice
// expect-message: You asked the name server for "alice", not for alice.packetlab.test
// expect-subject: name-lookup.name = alice
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice", "10.0.0.53:53");
const [payload] = socket.recvFrom();
console.log(`answer: ${payload.length} bytes`);
