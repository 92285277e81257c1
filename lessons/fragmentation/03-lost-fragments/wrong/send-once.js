// expect-fail: no-fragments
// expect-message: a fragmented datagram is lost as soon as any one of its fragments is
// expect-subject: ipv4.flags.moreFragments = true
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;
socket.sendTo(readFile("photo.bmp"), alice);
