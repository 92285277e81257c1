import { readFile } from "fs";
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

// The name server is on a link without loss, but a timeout does no harm.
const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.setReadTimeout(1000);
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);

const letter = readFile("letter.txt");
const stream = TcpStream.connect(new SocketAddrV4(alice, 1000));
stream.writeAll(letter);
stream.shutdown("write");
const answers = stream.readToEnd();
console.log(`sent ${letter.length} bytes; Alice answered ${answers.length} bytes`);
stream.close();
