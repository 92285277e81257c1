// expect-fail: all-chunks-arrived
// expect-message: Did you write the index and count little-endian?
// expect-subject: payload
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
    let count = (photo.len() + CHUNK_DATA - 1) / CHUNK_DATA;
    for (index, data) in photo.chunks(CHUNK_DATA).enumerate() {
        let mut chunk = Vec::with_capacity(4 + data.len());
        chunk.extend_from_slice(&(index as u16).to_le_bytes());
        chunk.extend_from_slice(&(count as u16).to_le_bytes());
        chunk.extend_from_slice(data);
        socket.send_to(&chunk, alice)?;
    }

    // Alice answers every chunk; her last answer says whether the file is complete.
    loop {
        let (n, _) = socket.recv_from(&mut buf)?;
        let text = String::from_utf8_lossy(&buf[..n]);
        if text.starts_with("complete") {
            println!("{}", text);
            break;
        }
    }
    Ok(())
}
