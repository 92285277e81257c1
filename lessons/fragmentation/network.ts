// The lesson's network: the learner and the name server as in lesson 1, and Alice, now
// receiving files, behind a link whose MTU is smaller than the photo.
export const LEARNER_ADDRESS = "10.0.0.2";
export const NAME_SERVER_ADDRESS = "10.0.0.53";
export const ALICE_NAME = "alice.packetlab.test";
export const ALICE_PORT = 1000;
/** The learner–Alice link carries IPv4 packets of at most this many bytes. */
export const MTU = 1000;
/** Largest chunk data that fits one packet: MTU − IPv4 header − UDP header − chunk header. */
export const MAX_CHUNK_DATA = MTU - 20 - 8 - 4;
/** The lossy exercise's link loses this share of packets, in both directions. */
export const LOSS = 0.15;
