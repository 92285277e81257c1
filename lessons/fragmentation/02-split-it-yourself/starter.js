// Send Alice the photo in numbered chunks that each fit in one packet.
import { readFile } from "fs";
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const socket = UdpSocket.bind("0.0.0.0:0");
socket.setReadTimeout(2000);
socket.sendTo("alice.packetlab.test", "10.0.0.53:53");
const [answer] = socket.recvFrom();
const alice = `${Ipv4Addr.fromBytes(answer)}:1000`;

const photo = readFile("photo.bmp");
const CHUNK_DATA = 968; // MTU 1000 − 20 (IPv4) − 8 (UDP) − 4 (chunk header)

// TODO: how many chunks?
// TODO: for each chunk: 2 bytes index, 2 bytes count, then its piece of the photo; send it
// TODO: wait for Alice's "complete: …" answer and print it
