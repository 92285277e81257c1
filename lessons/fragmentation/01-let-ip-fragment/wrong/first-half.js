// expect-fail: photo-arrived
// expect-message: Alice received a 15000-byte file
// expect-subject: none
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
socket.sendTo(readFile("photo.bmp").subarray(0, 15000), `${Ipv4Addr.fromBytes(answer)}:1000`);
