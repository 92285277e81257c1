// expect-fail: asked-for-www
// expect-message: not for www.packetlab.test
// expect-subject: name-lookup.name = alice.packetlab.test
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const host = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(host, 1000));
stream.writeAll("GET / HTTP/1.0\r\n\r\n");
console.log(stream.readToString());
