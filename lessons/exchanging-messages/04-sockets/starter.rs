// Ask the name server for Alice's address, using a socket.
#[allow(unused_imports)]
use std::net::{Ipv4Addr, UdpSocket};

#[allow(dead_code)]
const NAME_SERVER: &str = "10.0.0.53:53";

fn main() -> std::io::Result<()> {
    // TODO 1: open a socket on any free port
    // TODO 2: send "alice.packetlab.test" to the name server
    // TODO 3: wait for the answer
    // TODO 4: print the answer as an address
    Ok(())
}
