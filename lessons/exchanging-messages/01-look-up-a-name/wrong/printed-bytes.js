// expect-fail: printed-address
// expect-message: 4 raw bytes
// expect-subject: name-lookup.address
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("www.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
console.log(answer);
