// Ask the name server for the address of www.packetlab.test, and print it.
use std::net::{Ipv4Addr, UdpSocket};
use std::time::Duration;

const NAME_SERVER: &str = "10.0.0.53:53";

fn main() -> std::io::Result<()> {
    let name = "www.packetlab.test";
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(name.as_bytes(), NAME_SERVER)?;

    let mut answer = [0u8; 512];
    let (n, from) = socket.recv_from(&mut answer)?;
    println!("{} answered with {} bytes", from, n);
    let address = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);
    println!("{} is at {}", name, address);
    Ok(())
}
