import { fromHex, ipv4Packet, Ipv4Addr, sendPacket, toHex, UdpSocket } from "net";

const datagram = fromHex("9c40 0035 001a 0000 7777772e7061636b65746c61622e74657374");
const socket = UdpSocket.bind("0.0.0.0:40000");

// RFC 1071: one's complement sum of the header's 16-bit words, carries folded back, inverted.
function headerChecksum(header) {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i] << 8) | header[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const fields = {
  source: "10.0.0.2",
  destination: "10.0.0.53",
  protocol: 17,
  ttl: 64,
  totalLength: 20 + datagram.length,
  headerChecksum: 0,
};
// Sum the header with a zero checksum, then write the real one in.
fields.headerChecksum = headerChecksum(ipv4Packet(fields).subarray(0, 20));
const packet = ipv4Packet(fields, datagram);
console.log(toHex(packet));
sendPacket(packet);

socket.setReadTimeout(2000);
const [answer] = socket.recvFrom();
console.log(`The name server answered: ${Ipv4Addr.fromBytes(answer)}`);
