// expect-fail: udp-checksum
// expect-message: The UDP checksum is 0, which means “not computed”
// expect-subject: udp.checksum = 0
import { ipv4Packet, sendPacket, udpDatagram } from "net";

const addresses = { source: "10.0.0.2", destination: "10.0.0.53" };
const datagram = udpDatagram(
  { sourcePort: 40000, destinationPort: 53, checksum: 0 },
  "www.packetlab.test",
  addresses,
);
sendPacket(ipv4Packet({ ...addresses, protocol: 17, ttl: 64 }, datagram));
