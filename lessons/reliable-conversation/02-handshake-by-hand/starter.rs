// A TCP handshake by hand: send a SYN, read Alice's SYN-ACK, send an ACK with a message.
#[allow(unused_imports)]
use std::net::{receive_packet, send_packet, Ipv4Addr, UdpSocket};

fn main() -> std::io::Result<()> {
    let _me = Ipv4Addr::new(10, 0, 0, 2);
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    lookup.recv_from(&mut buf)?;
    let alice = Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]);
    println!("Alice is at {}", alice);
    // 1. Build a TCP segment with SYN to port 1000 (checksum over the pseudo-header, protocol 6)
    //    inside an IPv4 header, and send_packet() it.
    // 2. receive_packet(Some(Duration::from_secs(2))): Alice's SYN-ACK, a whole IPv4 packet.
    // 3. Send the ACK, with a message.
    Ok(())
}
