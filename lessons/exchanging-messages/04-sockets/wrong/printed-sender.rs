// expect-fail: printed-alice-address
// expect-message: You printed 10.0.0.53, which is not the address of Alice
// expect-subject: name-lookup.address
// Prints who answered (the name server) instead of what it answered.
use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    let (_, from) = socket.recv_from(&mut answer)?;
    println!("Alice is at {}", from.ip());
    Ok(())
}
