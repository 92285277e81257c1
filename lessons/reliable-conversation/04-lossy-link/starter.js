import { readFile } from "fs";
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.setReadTimeout(1000);
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const letter = readFile("letter.txt");
console.log(`the letter has ${letter.length} bytes`);
