import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);

socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const alice = `${Ipv4Addr.fromBytes(answer)}:1000`;

const photo = readFile("photo.bmp");
console.log(`sending ${photo.length} bytes to ${alice}`);
socket.sendTo(photo, alice);

const [reply] = socket.recvFrom();
console.log(decodeText(reply));
