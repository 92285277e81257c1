// expect-fail: photo-arrived
// expect-message: Alice received a 9-byte file, but the photo is 30774 bytes
// expect-subject: none
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo("photo.bmp", `${Ipv4Addr.fromBytes(answer)}:1000`);
console.log(decodeText(socket.recvFrom()[0]));
