// Build an IPv4 packet by hand and put it on the wire.
use std::net::{send_packet, Ipv4Addr, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    // A UDP datagram from port 40000 to port 53, asking for "www.packetlab.test".
    // Its checksum is 0, which in UDP over IPv4 means "not computed".
    let mut datagram = vec![0x9c, 0x40, 0x00, 0x35, 0x00, 0x1a, 0x00, 0x00];
    datagram.extend_from_slice(b"www.packetlab.test");

    // The answer will come back to port 40000: listen there.
    let socket = UdpSocket::bind("0.0.0.0:40000")?;

    let mut header = [0u8; 20];
    header[0] = 0x45; // version 4, IHL 5
    // TODO: total length (bytes 2–3), TTL (8), protocol (9), source (12–15),
    // destination (16–19), and the header checksum (10–11)

    let mut packet = header.to_vec();
    packet.extend_from_slice(&datagram);
    send_packet(&packet)?;

    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut answer = [0u8; 512];
    match socket.recv_from(&mut answer) {
        Ok(_) => println!(
            "The name server answered: {}",
            Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3])
        ),
        Err(_) => println!("No answer: look for your packet in the packet list to see why."),
    }
    Ok(())
}
