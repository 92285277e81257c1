// expect-fail: finished-sending
// expect-message: never told Alice
// expect-subject: none
// Waits for answers with a timeout but never sends FIN.
import { readFile } from "fs";
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(alice, 1000));
stream.writeAll(readFile("letter.txt"));
stream.setReadTimeout(3000);
let total = 0;
try {
  for (;;) total += stream.read().length;
} catch {
  console.log(`Alice answered ${total} bytes`);
}
