// expect-fail: photo-arrived
// expect-message: Alice received a 15000-byte file
// expect-subject: none
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
    println!("sending {} bytes to {}", photo.len(), alice);
    socket.send_to(&photo[..15000], alice)?;

    let (n, _) = socket.recv_from(&mut buf)?;
    println!("{}", String::from_utf8_lossy(&buf[..n]));
    Ok(())
}
