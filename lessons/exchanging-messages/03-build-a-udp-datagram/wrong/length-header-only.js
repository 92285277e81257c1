// expect-fail: udp-length
// expect-message: The UDP length says 8 bytes, but your datagram is 26 bytes
// expect-subject: udp.length = 8
import { ipv4Packet, sendPacket, udpDatagram } from "net";

const addresses = { source: "10.0.0.2", destination: "10.0.0.53" };
const datagram = udpDatagram(
  { sourcePort: 40000, destinationPort: 53, length: 8 },
  "www.packetlab.test",
  addresses,
);
sendPacket(ipv4Packet({ ...addresses, protocol: 17, ttl: 64 }, datagram));
