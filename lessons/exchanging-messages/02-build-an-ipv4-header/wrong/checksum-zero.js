// expect-fail: header-checksum
// expect-message: The header checksum is 0x0000, but for these header bytes it should be
// expect-subject: ipv4.headerChecksum = 0
import { fromHex, ipv4Packet, sendPacket } from "net";

const datagram = fromHex("9c40 0035 001a 0000 7777772e7061636b65746c61622e74657374");
const fields = {
  source: "10.0.0.2",
  destination: "10.0.0.53",
  protocol: 17,
  ttl: 64,
  headerChecksum: 0,
};
sendPacket(ipv4Packet(fields, datagram));
