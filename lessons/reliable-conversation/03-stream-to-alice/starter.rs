// Talk to Alice over TCP: connect, write, read her answer.
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4, TcpStream, UdpSocket};

fn main() -> std::io::Result<()> {
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    lookup.recv_from(&mut answer)?;
    let alice = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);

    // TODO: TcpStream::connect to Alice's port 1000, write her a message, read and print
    // her answer, then shut down your side (Shutdown::Write)
    let _ = (SocketAddrV4::new(alice, 1000), Shutdown::Write);
    let _: Option<TcpStream> = None;
    let _ = |s: &mut TcpStream| -> std::io::Result<usize> { s.write(b"")?; s.read(&mut [])? ; Ok(0) };
    Ok(())
}
