// expect-fail: destination-port
// expect-message: The destination port is 35, but the name server listens on port 53
// expect-subject: udp.destinationPort = 35
import { ipv4Packet, sendPacket, udpDatagram } from "net";

const addresses = { source: "10.0.0.2", destination: "10.0.0.53" };
const datagram = udpDatagram(
  { sourcePort: 40000, destinationPort: 35 },
  "www.packetlab.test",
  addresses,
);
sendPacket(ipv4Packet({ ...addresses, protocol: 17, ttl: 64 }, datagram));
