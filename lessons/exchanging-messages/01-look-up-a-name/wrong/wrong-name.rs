// expect-fail: asked-name-server
// expect-message: You asked the name server for "packetlab.test"
// expect-subject: name-lookup.name = packetlab.test
use std::net::{Ipv4Addr, UdpSocket};

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    socket.recv_from(&mut answer)?;
    println!("{}", Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]));
    Ok(())
}
