// expect-fail: total-length
// expect-message: The total length says 20 bytes, but your packet is 46 bytes
// expect-subject: ipv4.totalLength = 20
// Total length counted only the header.
import { fromHex, ipv4Packet, sendPacket } from "net";

const datagram = fromHex("9c40 0035 001a 0000 7777772e7061636b65746c61622e74657374");
const fields = {
  source: "10.0.0.2",
  destination: "10.0.0.53",
  protocol: 17,
  ttl: 64,
  totalLength: 20,
};
sendPacket(ipv4Packet(fields, datagram));
