// expect-fail: letter-arrived
// expect-message: Alice read only the first
// expect-subject: none
// Sends one buffer's worth of the letter and stops.
import { readFile } from "fs";
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(alice, 1000));
stream.writeAll(readFile("letter.txt").subarray(0, 1024));
stream.shutdown("write");
console.log(`Alice answered ${stream.readToEnd().length} bytes`);
