import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;

const photo = readFile("photo.bmp");
const CHUNK_DATA = 968;
const count = Math.ceil(photo.length / CHUNK_DATA);
// A round trip to Alice takes 10 ms; wait a little longer before deciding a packet was lost.
socket.setReadTimeout(25);

/** Waits for Alice's answer to chunk `index`; false if none came in time. */
function confirmed(index) {
  for (;;) {
    let text;
    try {
      text = decodeText(socket.recvFrom()[0]);
    } catch (error) {
      if (error.kind === "WouldBlock" || error.kind === "TimedOut") return false;
      throw error;
    }
    // Late answers to earlier chunks may still arrive: skip them.
    if (text.startsWith(`chunk ${index}/`)) return true;
    if (text.startsWith("complete")) {
      console.log(text);
      return true;
    }
  }
}

let sends = 0;
for (let index = 0; index < count; index++) {
  const data = photo.subarray(index * CHUNK_DATA, (index + 1) * CHUNK_DATA);
  const chunk = new Uint8Array(4 + data.length);
  const header = new DataView(chunk.buffer);
  header.setUint16(0, index);
  header.setUint16(2, count);
  chunk.set(data, 4);
  do {
    socket.sendTo(chunk, alice);
    sends++;
  } while (!confirmed(index));
}
console.log(`${count} chunks, ${sends} datagrams sent`);
