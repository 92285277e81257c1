// expect-fail: photo-arrived
// expect-message: they were lost on the link
// expect-subject: none
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

const CHUNK_DATA: usize = 968;

/// Waits for Alice's answer to chunk `index`; false if none came in time.
fn confirmed(socket: &UdpSocket, index: usize) -> std::io::Result<bool> {
    let mut buf = [0u8; 1500];
    loop {
        let n = match socket.recv_from(&mut buf) {
            Ok((n, _)) => n,
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                return Ok(false)
            }
            Err(e) => return Err(e),
        };
        let text = String::from_utf8_lossy(&buf[..n]);
        // Late answers to earlier chunks may still arrive: skip them.
        if text.starts_with(&format!("chunk {}/", index)) {
            return Ok(true);
        }
        if text.starts_with("complete") {
            println!("{}", text);
            return Ok(true);
        }
    }
}

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    socket.recv_from(&mut buf)?;
    let alice = SocketAddrV4::new(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]), 1000);

    let photo = std::fs::read("photo.bmp")?;
    let count = (photo.len() + CHUNK_DATA - 1) / CHUNK_DATA;
    // A round trip to Alice takes 10 ms; wait a little longer before deciding a packet was lost.
    socket.set_read_timeout(Some(Duration::from_millis(25)))?;

    let mut sends = 0;
    for (index, data) in photo.chunks(CHUNK_DATA).enumerate() {
        let mut chunk = Vec::with_capacity(4 + data.len());
        chunk.extend_from_slice(&(index as u16).to_be_bytes());
        chunk.extend_from_slice(&(count as u16).to_be_bytes());
        chunk.extend_from_slice(data);
        // Sent once: a lost chunk is never sent again.
        socket.send_to(&chunk, alice)?;
        sends += 1;
        confirmed(&socket, index)?;
    }
    println!("{} chunks, {} datagrams sent", count, sends);
    Ok(())
}
