// expect-fail: sent-request
// expect-message: empty line
// expect-subject: payload
// Ends the request after the request line: the server waits for the rest.
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("www.packetlab.test", "10.0.0.53:53");
const www = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(www, 80));
stream.writeAll("GET / HTTP/1.0\r\n");
stream.setReadTimeout(2000);
try {
  console.log(stream.readToString());
} catch (e) {
  console.log(`no answer: ${e.kind}`);
}
