import { decodeText, Ipv4Addr, SocketAddrV4, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";
const ALICE_NAME = "alice.packetlab.test";
const ALICE_PORT = 1000;

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);

socket.sendTo(ALICE_NAME, NAME_SERVER);
const [answer] = socket.recvFrom();
if (answer.length !== 4) throw new Error(`the name server does not know ${ALICE_NAME}`);
const alice: SocketAddrV4 = new SocketAddrV4(Ipv4Addr.fromBytes(answer), ALICE_PORT);

socket.sendTo("Hello Alice! Greetings from the packet lab.", alice);
const [reply, from] = socket.recvFrom();
console.log(`${from}: ${decodeText(reply)}`);
