import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const alice = `${Ipv4Addr.fromBytes(answer)}:1000`;

const photo = readFile("photo.bmp");
const CHUNK_DATA = 968;
const count = Math.ceil(photo.length / CHUNK_DATA);

for (let index = 0; index < count; index++) {
  const data = photo.subarray(index * CHUNK_DATA, (index + 1) * CHUNK_DATA);
  const chunk = new Uint8Array(4 + data.length);
  const header = new DataView(chunk.buffer);
  header.setUint16(0, index);
  header.setUint16(2, count);
  chunk.set(data, 4);
  socket.sendTo(chunk, alice);
}

// Alice answers every chunk; her last answer says whether the file is complete.
for (;;) {
  const text = decodeText(socket.recvFrom()[0]);
  if (text.startsWith("complete")) {
    console.log(text);
    break;
  }
}
