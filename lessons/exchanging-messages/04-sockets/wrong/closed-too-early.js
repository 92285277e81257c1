// expect-fail: received-answer
// expect-message: your computer dropped the answer
// expect-subject: udp.destinationPort
// Closes the socket right after sending, so the answer has nowhere to go.
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
socket.close();
console.log("asked");
