import { Ipv4Addr, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";
const name = "www.packetlab.test";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo(name, NAME_SERVER);

const [answer, from] = socket.recvFrom();
console.log(`${from} answered with ${answer.length} bytes`);
console.log(`${name} is at ${Ipv4Addr.fromBytes(answer)}`);
