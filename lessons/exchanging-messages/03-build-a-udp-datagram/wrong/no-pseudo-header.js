// expect-fail: udp-checksum
// expect-message: Did you include the pseudo-header
// expect-subject: udp.checksum
// The checksum is summed over the datagram alone, forgetting the pseudo-header.
import { encodeText, ipv4Packet, sendPacket } from "net";

const payload = encodeText("www.packetlab.test");
const datagram = new Uint8Array(8 + payload.length);
const view = new DataView(datagram.buffer);
view.setUint16(0, 40000);
view.setUint16(2, 53);
view.setUint16(4, datagram.length);
datagram.set(payload, 8);
let sum = 0;
for (let i = 0; i < datagram.length; i += 2) sum += (datagram[i] << 8) | (datagram[i + 1] ?? 0);
while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
view.setUint16(6, ~sum & 0xffff);
sendPacket(
  ipv4Packet({ source: "10.0.0.2", destination: "10.0.0.53", protocol: 17, ttl: 64 }, datagram),
);
