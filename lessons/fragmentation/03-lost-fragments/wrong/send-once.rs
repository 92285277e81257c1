// expect-fail: no-fragments
// expect-message: a fragmented datagram is lost as soon as any one of its fragments is
// expect-subject: ipv4.flags.moreFragments = true
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    socket.recv_from(&mut buf)?;
    let alice = SocketAddrV4::new(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]), 1000);

    let photo = std::fs::read("photo.bmp")?;
    socket.send_to(&photo, alice)?;
    match socket.recv_from(&mut buf) {
        Ok((n, _)) => println!("{}", String::from_utf8_lossy(&buf[..n])),
        Err(_) => println!("Alice did not answer. What happened to the fragments?"),
    }
    Ok(())
}
