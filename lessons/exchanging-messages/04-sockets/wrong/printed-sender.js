// expect-fail: printed-alice-address
// expect-message: You printed 10.0.0.53, which is not the address of Alice
// expect-subject: name-lookup.address
// Prints who answered (the name server) instead of what it answered.
import { UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [, from] = socket.recvFrom();
console.log(`Alice is at ${from.ip()}`);
