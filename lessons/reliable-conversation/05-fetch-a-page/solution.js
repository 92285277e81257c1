import { Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket } from "net";

const lookup = UdpSocket.bind("0.0.0.0:0");
lookup.setReadTimeout(2000);
lookup.sendTo("www.packetlab.test", "10.0.0.53:53");
const [answer] = lookup.recvFrom();
if (answer.length !== 4) throw new Error("the name server does not know www.packetlab.test");
const www = Ipv4Addr.fromBytes(answer);

const stream = TcpStream.connect(new SocketAddrV4(www, 80));
stream.writeAll("GET / HTTP/1.1\r\nHost: www.packetlab.test\r\nConnection: close\r\n\r\n");
const response = stream.readToString();
stream.close();

const [head, body] = response.split("\r\n\r\n");
console.log(head.split("\r\n")[0]);
console.log(body);
