// Sends the photo as one big datagram over a lossy link. Run it, then read the packet list.
import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;

const photo = readFile("photo.bmp");
socket.sendTo(photo, alice);
try {
  console.log(decodeText(socket.recvFrom()[0]));
} catch {
  console.log("Alice did not answer. What happened to the fragments?");
}
// TODO: send chunks instead, and send each one again until Alice confirms it
