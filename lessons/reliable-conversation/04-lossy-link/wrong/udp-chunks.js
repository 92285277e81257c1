// expect-fail: letter-arrived
// expect-message: over TCP
// expect-subject: none
// Sends the letter in UDP datagrams: on this link some of them are simply lost.
import { readFile } from "fs";
import { Ipv4Addr, SocketAddrV4, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = new SocketAddrV4(Ipv4Addr.fromBytes(socket.recvFrom()[0]), 1000);
const letter = readFile("letter.txt");
for (let at = 0; at < letter.length; at += 1000)
  socket.sendTo(letter.subarray(at, at + 1000), alice);
