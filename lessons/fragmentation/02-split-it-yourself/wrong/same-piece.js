// expect-fail: photo-intact
// expect-message: chunk 1 should hold the photo's bytes 968–1935
// expect-subject: payload
// Every chunk carries the photo's first bytes: the offset was forgotten.
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;
const photo = readFile("photo.bmp");
const count = Math.ceil(photo.length / 968);
for (let i = 0; i < count; i++) {
  const size = Math.min(968, photo.length - i * 968);
  const chunk = new Uint8Array(4 + size);
  new DataView(chunk.buffer).setUint16(0, i);
  new DataView(chunk.buffer).setUint16(2, count);
  chunk.set(photo.subarray(0, size), 4);
  socket.sendTo(chunk, alice);
}
