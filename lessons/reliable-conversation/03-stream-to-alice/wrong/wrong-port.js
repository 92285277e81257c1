// expect-fail: connected
// expect-message: Alice listens on TCP port 1000
// expect-subject: tcp.destinationPort = 100
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(alice, 100));
stream.writeAll("Hello");
