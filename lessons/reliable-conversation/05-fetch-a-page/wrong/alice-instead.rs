// expect-fail: asked-for-www
// expect-message: not for www.packetlab.test
// expect-subject: name-lookup.name = alice.packetlab.test
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.set_read_timeout(Some(Duration::from_secs(2)))?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    let (n, _) = lookup.recv_from(&mut answer)?;
    if n != 4 {
        panic!("the name server does not know www.packetlab.test");
    }
    let www = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);

    let mut stream = TcpStream::connect(SocketAddrV4::new(www, 80))?;
    stream.write_all(b"GET / HTTP/1.1\r\nHost: www.packetlab.test\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;

    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    println!("{}", head.lines().next().unwrap_or(""));
    println!("{}", body);
    Ok(())
}
