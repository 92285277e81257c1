// expect-fail: printed-page
// expect-message: today's word
// expect-subject: none
// Prints only the status line.
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("www.packetlab.test", "10.0.0.53:53");
const www = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(www, 80));
stream.writeAll("GET / HTTP/1.0\r\n\r\n");
console.log(stream.readToString().split("\r\n")[0]);
