// Send Alice a message. You know her name and port, not her address.
#[allow(unused_imports)]
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};

#[allow(dead_code)]
const NAME_SERVER: &str = "10.0.0.53:53";
#[allow(dead_code)]
const ALICE_NAME: &str = "alice.packetlab.test";
#[allow(dead_code)]
const ALICE_PORT: u16 = 1000;

fn main() -> std::io::Result<()> {
    let _socket = UdpSocket::bind("0.0.0.0:0")?;

    // TODO: find Alice's address
    // TODO: send her a message
    // TODO (bonus): print her answer
    Ok(())
}
