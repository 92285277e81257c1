// expect-fail: no-fragments
// expect-message: IP fragmented a datagram of yours to Alice
// expect-subject: ipv4.flags.moreFragments = true
// Sends the whole photo again and again until Alice confirms it: each lost fragment costs
// the whole datagram.
import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = `${Ipv4Addr.fromBytes(socket.recvFrom()[0])}:1000`;
const photo = readFile("photo.bmp");
socket.setReadTimeout(100);
for (let attempt = 1; attempt <= 5; attempt++) {
  socket.sendTo(photo, alice);
  try {
    console.log(decodeText(socket.recvFrom()[0]));
    break;
  } catch {
    console.log(`attempt ${attempt}: no answer`);
  }
}
