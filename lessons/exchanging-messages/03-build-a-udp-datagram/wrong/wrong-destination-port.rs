// expect-fail: destination-port
// expect-message: The destination port is 35, but the name server listens on port 53
// expect-subject: udp.destinationPort = 35
use std::net::{send_packet, Ipv4Addr, UdpSocket};
use std::time::Duration;

/// One's complement sum of 16-bit big-endian words, an odd last byte padded with zero.
fn sum16(bytes: &[u8], mut sum: u32) -> u32 {
    for pair in bytes.chunks(2) {
        sum += (pair[0] as u32) << 8 | *pair.get(1).unwrap_or(&0) as u32;
    }
    sum
}

fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn main() -> std::io::Result<()> {
    let me = Ipv4Addr::new(10, 0, 0, 2);
    let name_server = Ipv4Addr::new(10, 0, 0, 53);
    let socket = UdpSocket::bind("0.0.0.0:40000")?;

    let payload = b"www.packetlab.test";
    let length = (8 + payload.len()) as u16;
    let mut datagram = Vec::new();
    datagram.extend_from_slice(&40000u16.to_be_bytes());
    datagram.extend_from_slice(&35u16.to_be_bytes());
    datagram.extend_from_slice(&length.to_be_bytes());
    datagram.extend_from_slice(&[0, 0]);
    datagram.extend_from_slice(payload);

    // The pseudo-header: source, destination, zero, protocol 17, UDP length.
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&me.octets());
    pseudo.extend_from_slice(&name_server.octets());
    pseudo.extend_from_slice(&[0, 17]);
    pseudo.extend_from_slice(&length.to_be_bytes());
    let mut checksum = fold(sum16(&datagram, sum16(&pseudo, 0)));
    if checksum == 0 {
        checksum = 0xffff; // 0 would mean "not computed"
    }
    datagram[6..8].copy_from_slice(&checksum.to_be_bytes());

    let mut header = [0u8; 20];
    header[0] = 0x45;
    header[2..4].copy_from_slice(&((20 + datagram.len()) as u16).to_be_bytes());
    header[8] = 64;
    header[9] = 17;
    header[12..16].copy_from_slice(&me.octets());
    header[16..20].copy_from_slice(&name_server.octets());
    let header_checksum = fold(sum16(&header, 0));
    header[10..12].copy_from_slice(&header_checksum.to_be_bytes());

    let mut packet = header.to_vec();
    packet.extend_from_slice(&datagram);
    send_packet(&packet)?;

    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut answer = [0u8; 512];
    socket.recv_from(&mut answer)?;
    let address = Ipv4Addr::new(answer[0], answer[1], answer[2], answer[3]);
    println!("www.packetlab.test is at {}", address);
    Ok(())
}
