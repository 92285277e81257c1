import { Ipv4Addr, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", NAME_SERVER);
const [payload, from] = socket.recvFrom();
console.log(`${from} says Alice is at ${Ipv4Addr.fromBytes(payload)}`);
