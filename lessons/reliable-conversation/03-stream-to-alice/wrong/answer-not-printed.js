// expect-fail: printed-reply
// expect-message: did not print her answer
// expect-subject: payload
import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.sendTo("alice.packetlab.test", "10.0.0.53:53");
const alice = Ipv4Addr.fromBytes(lookup.recvFrom()[0]);
const stream = TcpStream.connect(new SocketAddrV4(alice, 1000));
stream.writeAll("Hello Alice");
const answer = stream.read();
console.log(`Alice answered ${answer.length} bytes`);
stream.close();
