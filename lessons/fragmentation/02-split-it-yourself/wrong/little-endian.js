// expect-fail: all-chunks-arrived
// expect-message: Did you write the index and count little-endian?
// expect-subject: payload
import { readFile } from "fs";
import { Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;
const photo = readFile("photo.bmp");
const count = Math.ceil(photo.length / 968);
for (let i = 0; i < count; i++) {
  const data = photo.subarray(i * 968, (i + 1) * 968);
  const chunk = new Uint8Array(4 + data.length);
  new DataView(chunk.buffer).setUint16(0, i, true);
  new DataView(chunk.buffer).setUint16(2, count, true);
  chunk.set(data, 4);
  socket.sendTo(chunk, alice);
}
