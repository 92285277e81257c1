// expect-fail: sequence-continues
// expect-message: a SYN counts as one byte
use std::net::{receive_packet, send_packet, Ipv4Addr, UdpSocket};
use std::time::Duration;

const PORT: u16 = 40000;

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

/// An IPv4 packet holding a TCP segment from me to Alice's port 1000.
fn packet(me: Ipv4Addr, alice: Ipv4Addr, seq: u32, ack: u32, flags: u8, options: &[u8], data: &[u8]) -> Vec<u8> {
    let header_length = 20 + options.len();
    let mut tcp = Vec::new();
    tcp.extend_from_slice(&PORT.to_be_bytes());
    tcp.extend_from_slice(&1000u16.to_be_bytes());
    tcp.extend_from_slice(&seq.to_be_bytes());
    tcp.extend_from_slice(&ack.to_be_bytes());
    tcp.push(((header_length / 4) as u8) << 4); // data offset, in 32-bit words
    tcp.push(flags);
    tcp.extend_from_slice(&65535u16.to_be_bytes()); // window
    tcp.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
    tcp.extend_from_slice(options);
    tcp.extend_from_slice(data);
    // The checksum covers a pseudo-header: source, destination, zero, protocol 6, TCP length.
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&me.octets());
    pseudo.extend_from_slice(&alice.octets());
    pseudo.extend_from_slice(&[0, 6]);
    pseudo.extend_from_slice(&(tcp.len() as u16).to_be_bytes());
    let checksum = fold(sum16(&tcp, sum16(&pseudo, 0)));
    tcp[16..18].copy_from_slice(&checksum.to_be_bytes());

    let mut ip = vec![0u8; 20];
    ip[0] = 0x45;
    ip[2..4].copy_from_slice(&((20 + tcp.len()) as u16).to_be_bytes());
    ip[8] = 64;
    ip[9] = 6; // TCP
    ip[12..16].copy_from_slice(&me.octets());
    ip[16..20].copy_from_slice(&alice.octets());
    let header_checksum = fold(sum16(&ip, 0));
    ip[10..12].copy_from_slice(&header_checksum.to_be_bytes());
    ip.extend_from_slice(&tcp);
    ip
}

/// Alice's next TCP segment: (sequence number, flags, data).
fn receive() -> std::io::Result<(u32, u8, Vec<u8>)> {
    loop {
        let p = receive_packet(Some(Duration::from_secs(2)))?;
        if p.len() < 40 || p[9] != 6 {
            continue;
        }
        let ihl = (p[0] & 0x0f) as usize * 4;
        let tcp = &p[ihl..];
        let seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]);
        let offset = (tcp[12] >> 4) as usize * 4;
        return Ok((seq, tcp[13], tcp[offset..].to_vec()));
    }
}

fn main() -> std::io::Result<()> {
    let me = Ipv4Addr::new(10, 0, 0, 2);
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut a = [0u8; 512];
    lookup.recv_from(&mut a)?;
    let alice = Ipv4Addr::new(a[0], a[1], a[2], a[3]);

    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const PSH: u8 = 0x08;
    let mine: u32 = 1000;
    let mss = [2, 4, 0x05, 0xb4]; // MSS option: 1460
    send_packet(&packet(me, alice, mine, 0, SYN, &mss, &[]))?;
    let (their_seq, flags, _) = receive()?;
    println!("SYN-ACK: flags {:#04x}, sequence number {}", flags, their_seq);

    let message = b"Hello Alice, this connection is hand-made!";
    send_packet(&packet(me, alice, mine, their_seq.wrapping_add(1), ACK | PSH, &[], message))?;
    let (_, _, data) = receive()?;
    println!("Alice: {}", if data.is_empty() { "(no data)".to_string() } else { String::from_utf8_lossy(&data).to_string() });
    Ok(())
}
