// expect-fail: message-not-empty
// expect-message: but it was empty
// expect-subject: udp.length = 8
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

const NAME_SERVER: &str = "10.0.0.53:53";
const ALICE_NAME: &str = "alice.packetlab.test";
const ALICE_PORT: u16 = 1000;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;

    socket.send_to(ALICE_NAME.as_bytes(), NAME_SERVER)?;
    let mut buf = [0u8; 1500];
    let (n, _) = socket.recv_from(&mut buf)?;
    if n != 4 {
        panic!("the name server does not know {}", ALICE_NAME);
    }
    let alice = SocketAddrV4::new(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]), ALICE_PORT);

    socket.send_to(b"", alice)?;
    let (n, from) = socket.recv_from(&mut buf)?;
    println!("{}: {}", from, String::from_utf8_lossy(&buf[..n]));
    Ok(())
}
