// expect-fail: asked-for-alice
// expect-message: You asked the name server for "alice", not for alice.packetlab.test
// expect-subject: name-lookup.name = alice
use std::net::{Ipv4Addr, UdpSocket};

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"alice", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    let (n, _) = socket.recv_from(&mut answer)?;
    if n == 4 {
        println!("{}", Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]));
    }
    Ok(())
}
