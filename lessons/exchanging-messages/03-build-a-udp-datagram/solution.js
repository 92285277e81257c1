// The datagram written byte by byte, with the checksum over the pseudo-header (RFC 768).
import { encodeText, ipv4Packet, Ipv4Addr, sendPacket, UdpSocket } from "net";

const ME = "10.0.0.2";
const NAME_SERVER = "10.0.0.53";
const socket = UdpSocket.bind("0.0.0.0:40000");

function sum16(bytes, sum = 0) {
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  return sum;
}

const payload = encodeText("www.packetlab.test");
const datagram = new Uint8Array(8 + payload.length);
const view = new DataView(datagram.buffer);
view.setUint16(0, 40000);
view.setUint16(2, 53);
view.setUint16(4, datagram.length);
datagram.set(payload, 8);

const pseudo = new Uint8Array(12);
pseudo.set(Ipv4Addr.parse(ME).octets(), 0);
pseudo.set(Ipv4Addr.parse(NAME_SERVER).octets(), 4);
pseudo[9] = 17;
new DataView(pseudo.buffer).setUint16(10, datagram.length);
let sum = sum16(datagram, sum16(pseudo));
while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
view.setUint16(6, ~sum & 0xffff || 0xffff);

sendPacket(ipv4Packet({ source: ME, destination: NAME_SERVER, protocol: 17, ttl: 64 }, datagram));

socket.setReadTimeout(2000);
const [answer] = socket.recvFrom();
console.log(`www.packetlab.test is at ${Ipv4Addr.fromBytes(answer)}`);
