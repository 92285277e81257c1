// What each reference solution's checks link to (see src/grading/subject-expectation.ts), by
// lesson/exercise and check id; a check not listed links to nothing. Values that differ per
// session (addresses, checksums, sequence numbers) are left out; the rest name the packet.
export const SOLUTION_SUBJECTS: Record<string, Record<string, string>> = {
  "exchanging-messages/look-up-a-name": {
    "asked-name-server": "name-lookup.name = www.packetlab.test",
    "printed-address": "name-lookup.address",
  },
  "exchanging-messages/build-an-ipv4-header": {
    "sent-a-packet": "packet",
    "source-address": "ipv4.source = 10.0.0.2",
    "destination-address": "ipv4.destination = 10.0.0.53",
    protocol: "ipv4.protocol = 17",
    ttl: "ipv4.ttl = 64",
    "total-length": "ipv4.totalLength",
    "header-checksum": "ipv4.headerChecksum",
    "name-server-answered": "packet",
  },
  "exchanging-messages/build-a-udp-datagram": {
    "sent-a-datagram": "udp",
    "destination-port": "udp.destinationPort = 53",
    "source-port": "udp.sourcePort = 40000",
    "udp-length": "udp.length",
    "udp-checksum": "udp.checksum",
    // The name server's answer, which reached the learner's socket.
    "name-server-answered": "packet",
    "printed-address": "name-lookup.address",
  },
  "exchanging-messages/sockets": {
    "asked-for-alice": "name-lookup.name = alice.packetlab.test",
    "received-answer": "name-lookup.address",
    "printed-alice-address": "name-lookup.address",
  },
  "exchanging-messages/message-to-alice": {
    "asked-for-alice": "name-lookup.name = alice.packetlab.test",
    "reached-alice": "udp.destinationPort = 1000",
    "message-not-empty": "payload",
    "printed-reply": "payload",
  },
  "fragmentation/let-ip-fragment": {
    "sent-one-datagram": "ipv4.flags.moreFragments = true",
  },
  "fragmentation/split-it-yourself": {},
  "fragmentation/lost-fragments": {},
  "reliable-conversation/read-a-tcp-header": {},
  "reliable-conversation/handshake-by-hand": {
    "sent-syn": "tcp.flags = 2",
    "acknowledged-syn-ack": "tcp.acknowledgmentNumber",
    "sequence-continues": "tcp.sequenceNumber",
  },
  "reliable-conversation/stream-to-alice": {
    "asked-for-alice": "name-lookup.name = alice.packetlab.test",
    // Alice's SYN-ACK: flags SYN and ACK.
    connected: "tcp.flags = 18",
    "printed-reply": "payload",
    closed: "tcp.flags.fin = true",
  },
  "reliable-conversation/lossy-link": {
    "finished-sending": "tcp.flags.fin = true",
  },
  "reliable-conversation/fetch-a-page": {
    "asked-for-www": "name-lookup.name = www.packetlab.test",
    "connected-to-www": "tcp.flags = 18",
  },
};
