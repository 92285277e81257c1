// Ask the name server for Alice's address, using a socket.
import { Ipv4Addr, UdpSocket } from "net";

const NAME_SERVER = "10.0.0.53:53";

// TODO 1: open a socket on any free port
// TODO 2: send "alice.packetlab.test" to the name server
// TODO 3: wait for the answer
// TODO 4: print the answer as an address
