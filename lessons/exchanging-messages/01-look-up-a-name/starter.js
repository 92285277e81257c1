// Ask the name server for the address of a name, and print it.
import { Ipv4Addr, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";
const name = ""; // TODO: the name to look up

// Port 0 lets the system pick any free port for us.
const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo(name, NAME_SERVER);

const [answer, from] = socket.recvFrom();
console.log(`${from} answered with ${answer.length} bytes`);
// TODO: print the address in the answer
