// Fetch www.packetlab.test's page over HTTP/1.1, on a TcpStream.
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpStream, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.set_read_timeout(Some(Duration::from_secs(2)))?;
    lookup.send_to(b"www.packetlab.test", "10.0.0.53:53")?;
    let mut answer = [0u8; 512];
    let (n, _) = lookup.recv_from(&mut answer)?;
    if n != 4 {
        panic!("the name server does not know www.packetlab.test");
    }
    let www = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);

    // TODO: connect to port 80, send an HTTP/1.1 GET request for / (with a Host header and
    // an empty line at the end), read the response to its end
    let _ = (SocketAddrV4::new(www, 80), |s: &mut TcpStream| s.write(b""), |s: &mut TcpStream| s.read(&mut []));
    let response = String::new();

    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    println!("{}", head.lines().next().unwrap_or(""));
    println!("{}", body);
    Ok(())
}
