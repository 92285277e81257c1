// expect-fail: header-checksum
// expect-message: The header checksum is 0x0000, but for these header bytes it should be
// expect-subject: ipv4.headerChecksum = 0
use std::net::{send_packet, Ipv4Addr, UdpSocket};
use std::time::Duration;

/// RFC 1071: one's complement sum of the 16-bit words, carries folded back, inverted.
fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        sum += (pair[0] as u32) << 8 | *pair.get(1).unwrap_or(&0) as u32;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn main() -> std::io::Result<()> {
    // Port 40000 → 53, length 26, checksum 0 ("not computed"), then the name.
    let name = b"www.packetlab.test";
    let mut datagram = Vec::new();
    datagram.extend_from_slice(&40000u16.to_be_bytes());
    datagram.extend_from_slice(&53u16.to_be_bytes());
    datagram.extend_from_slice(&((8 + name.len()) as u16).to_be_bytes());
    datagram.extend_from_slice(&[0, 0]);
    datagram.extend_from_slice(name);
    let socket = UdpSocket::bind("0.0.0.0:40000")?;

    let mut header = [0u8; 20];
    header[0] = 0x45; // version 4, IHL 5 (32-bit words)
    header[2..4].copy_from_slice(&((20 + datagram.len()) as u16).to_be_bytes());
    header[8] = 64; // TTL
    header[9] = 17; // protocol: UDP
    header[12..16].copy_from_slice(&Ipv4Addr::new(10, 0, 0, 2).octets());
    header[16..20].copy_from_slice(&Ipv4Addr::new(10, 0, 0, 53).octets());
    // The checksum is never written: it stays 0x0000.
    let _ = checksum;

    let mut packet = header.to_vec();
    packet.extend_from_slice(&datagram);
    send_packet(&packet)?;

    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut answer = [0u8; 512];
    socket.recv_from(&mut answer)?;
    let address = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);
    println!("The name server answered: {}", address);
    Ok(())
}
