// Send Alice the photo in one datagram; IP fragments it on the way.
import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);

socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const alice = `${Ipv4Addr.fromBytes(answer)}:1000`;

// TODO: read photo.bmp and send its bytes to Alice in one sendTo()
socket.sendTo("photo.bmp", alice);

const [reply] = socket.recvFrom();
console.log(decodeText(reply));
