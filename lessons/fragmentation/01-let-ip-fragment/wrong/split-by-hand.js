// expect-fail: sent-one-datagram
// expect-message: in this exercise, send the whole photo in a single sendTo()
// expect-subject: packet
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const alice = `${Ipv4Addr.fromBytes(answer)}:1000`;
const photo = readFile("photo.bmp");
for (let offset = 0; offset < photo.length; offset += 900)
  socket.sendTo(photo.subarray(offset, offset + 900), alice);
