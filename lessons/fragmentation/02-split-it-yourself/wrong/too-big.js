// expect-fail: no-fragments
// expect-message: IP fragmented a datagram of yours to Alice
// expect-subject: ipv4.flags.moreFragments = true
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;
const photo = readFile("photo.bmp");
const SIZE = 1400; // forgot the MTU
const count = Math.ceil(photo.length / SIZE);
for (let i = 0; i < count; i++) {
  const chunk = new Uint8Array(4 + Math.min(SIZE, photo.length - i * SIZE));
  new DataView(chunk.buffer).setUint16(0, i);
  new DataView(chunk.buffer).setUint16(2, count);
  chunk.set(photo.subarray(i * SIZE, (i + 1) * SIZE), 4);
  socket.sendTo(chunk, alice);
}
