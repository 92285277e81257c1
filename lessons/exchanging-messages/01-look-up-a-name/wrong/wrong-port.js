// expect-fail: asked-name-server
// expect-message: on port 35; it listens on port 53
// expect-subject: udp.destinationPort = 35
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("www.packetlab.test", "10.0.0.53:35");
console.log("sent");
