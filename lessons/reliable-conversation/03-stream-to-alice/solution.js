import { decodeText, Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);

const stream = TcpStream.connect(new SocketAddrV4(alice, 1000));
console.log(`connected from ${stream.localAddr()} to ${stream.peerAddr()}`);
stream.writeAll("Hello Alice, this time over TCP!");
console.log(decodeText(stream.read()));
stream.shutdown("write");
stream.read(); // Alice's FIN: an empty read
stream.close();
