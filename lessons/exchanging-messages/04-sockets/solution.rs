// Ask the name server for Alice's address, using a socket.
use std::net::{Ipv4Addr, UdpSocket};

const NAME_SERVER: &str = "10.0.0.53:53";

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"alice.packetlab.test", NAME_SERVER)?;
    let mut answer = [0u8; 512];
    let (_, from) = socket.recv_from(&mut answer)?;
    let alice = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);
    println!("{} says Alice is at {}", from, alice);
    Ok(())
}
