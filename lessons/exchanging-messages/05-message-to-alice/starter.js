// Send Alice a message. You know her name and port, not her address.
import { decodeText, Ipv4Addr, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";
const ALICE_NAME = "alice.packetlab.test";
const ALICE_PORT = 1000;

const socket = UdpSocket.bind("0.0.0.0:0");

// TODO: find Alice's address
// TODO: send her a message
// TODO (bonus): print her answer
