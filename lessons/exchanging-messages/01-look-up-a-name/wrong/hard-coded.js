// expect-fail: printed-address
// expect-message: which is not the address of www.packetlab.test in your session
// expect-subject: name-lookup.address
// Someone else's answer, copied: it is wrong in every other session.
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("www.packetlab.test", "10.0.0.53:53");
socket.recvFrom();
console.log("www.packetlab.test is at 10.0.0.80");
