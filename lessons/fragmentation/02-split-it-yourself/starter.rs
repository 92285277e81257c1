// Send Alice the photo in numbered chunks that each fit in one packet.
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

/// MTU 1000 − 20 (IPv4) − 8 (UDP) − 4 (chunk header).
const CHUNK_DATA: usize = 968;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    socket.recv_from(&mut buf)?;
    let alice = SocketAddrV4::new(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]), 1000);

    let photo = std::fs::read("photo.bmp")?;
    // TODO: how many chunks?
    // TODO: for each chunk: 2 bytes index, 2 bytes count (big-endian), then its piece of the
    // photo; send it
    let _ = (photo, alice);

    // TODO: wait for Alice's "complete: …" answer and print it
    Ok(())
}
