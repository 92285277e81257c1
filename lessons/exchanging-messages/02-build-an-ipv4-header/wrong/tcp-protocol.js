// expect-fail: protocol
// expect-message: The protocol field is 6
// expect-subject: ipv4.protocol = 6
import { fromHex, ipv4Packet, sendPacket } from "net";

const datagram = fromHex("9c40 0035 001a 0000 7777772e7061636b65746c61622e74657374");
sendPacket(
  ipv4Packet({ source: "10.0.0.2", destination: "10.0.0.53", protocol: 6, ttl: 64 }, datagram),
);
