// expect-fail: asked-for-alice
// expect-message: Your program did not ask the name server
// expect-subject: none
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("Hello Alice!", "10.0.3.7:1000");
