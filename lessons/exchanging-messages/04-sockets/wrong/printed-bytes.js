// expect-fail: printed-alice-address
// expect-message: 4 raw bytes
// expect-subject: name-lookup.address
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [payload] = socket.recvFrom();
console.log(Array.from(payload).join(","));
