// expect-fail: printed-address
// expect-message: 4 raw bytes
// expect-subject: name-lookup.address
// Prints the answer's bytes instead of the address they make.
use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"www.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    let (n, _) = socket.recv_from(&mut answer)?;
    println!("{:?}", &answer[..n]);
    Ok(())
}
