// expect-fail: photo-arrived
// expect-message: Alice received the photo turned into text
// expect-subject: none
// Decoding binary data as UTF-8 replaces invalid bytes, so the file changes on the way.
import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const text = Array.from(readFile("photo.bmp"), (b) => String.fromCharCode(b)).join("");
socket.sendTo(text, `${Ipv4Addr.fromBytes(answer)}:1000`);
console.log(decodeText(socket.recvFrom()[0]));
