// expect-fail: finished-sending
// expect-message: never told Alice
// expect-subject: none
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4, TcpStream, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    // The name server is on a link without loss, but a timeout does no harm.
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.set_read_timeout(Some(Duration::from_secs(1)))?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    lookup.recv_from(&mut answer)?;
    let alice = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);

    let letter = std::fs::read("letter.txt")?;
    let mut stream = TcpStream::connect(SocketAddrV4::new(alice, 1000))?;
    stream.write_all(&letter)?;
    // Never shut down: Alice keeps waiting for more, and so does this read.
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    let _ = Shutdown::Write;
    let mut answers = vec![0u8; 4096];
    let n = stream.read(&mut answers).unwrap_or(0);
    answers.truncate(n);
    println!("sent {} bytes; Alice answered {} bytes", letter.len(), answers.len());
    // Not even dropped (a drop would close the connection, and closing sends a FIN).
    std::mem::forget(stream);
    Ok(())
}
