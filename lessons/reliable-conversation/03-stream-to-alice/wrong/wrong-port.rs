// expect-fail: connected
// expect-message: Alice listens on TCP port 1000
// expect-subject: tcp.destinationPort = 100
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4, TcpStream, UdpSocket};

fn main() -> std::io::Result<()> {
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    lookup.recv_from(&mut answer)?;
    let alice = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);

    let mut stream = TcpStream::connect(SocketAddrV4::new(alice, 100))?;
    println!("connected from {} to {}", stream.local_addr()?, stream.peer_addr()?);
    stream.write_all(b"Hello Alice, this time over TCP!")?;
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf)?;
    println!("{}", String::from_utf8_lossy(&buf[..n]));
    stream.shutdown(Shutdown::Write)?;
    stream.read(&mut buf)?; // Alice's FIN: an empty read
    Ok(())
}
