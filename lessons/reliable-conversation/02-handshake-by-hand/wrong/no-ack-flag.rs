// expect-fail: acknowledged-syn-ack
// expect-message: ACK flag
// expect-subject: tcp.flags.ack = false
// Puts the right number in the acknowledgment field but forgets to set the ACK flag.
// A TCP handshake by hand: SYN, Alice's SYN-ACK, then an ACK carrying a message. Every byte of
// every segment is written here, checksum included, inside an IPv4 header written by hand too.
use std::net::{receive_packet, send_packet, Ipv4Addr, UdpSocket};
use std::time::Duration;

const PORT: u16 = 40000;
const SYN: u8 = 0x02;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

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

/// A TCP segment (RFC 9293) inside an IPv4 packet, from me to Alice's port 1000.
fn send(me: Ipv4Addr, alice: Ipv4Addr, seq: u32, ack: u32, flags: u8, options: &[u8], data: &[u8]) -> std::io::Result<()> {
    let header_length = 20 + options.len();
    let mut segment = Vec::new();
    segment.extend_from_slice(&PORT.to_be_bytes());
    segment.extend_from_slice(&1000u16.to_be_bytes());
    segment.extend_from_slice(&seq.to_be_bytes());
    segment.extend_from_slice(&ack.to_be_bytes());
    segment.push(((header_length / 4) as u8) << 4);
    segment.push(flags);
    segment.extend_from_slice(&65535u16.to_be_bytes()); // window
    segment.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
    segment.extend_from_slice(options);
    segment.extend_from_slice(data);

    // The pseudo-header: source, destination, zero, protocol 6, TCP length.
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&me.octets());
    pseudo.extend_from_slice(&alice.octets());
    pseudo.extend_from_slice(&[0, 6]);
    pseudo.extend_from_slice(&(segment.len() as u16).to_be_bytes());
    let checksum = fold(sum16(&segment, sum16(&pseudo, 0)));
    segment[16..18].copy_from_slice(&checksum.to_be_bytes());

    let mut header = [0u8; 20];
    header[0] = 0x45;
    header[2..4].copy_from_slice(&((20 + segment.len()) as u16).to_be_bytes());
    header[8] = 64;
    header[9] = 6;
    header[12..16].copy_from_slice(&me.octets());
    header[16..20].copy_from_slice(&alice.octets());
    let header_checksum = fold(sum16(&header, 0));
    header[10..12].copy_from_slice(&header_checksum.to_be_bytes());

    let mut packet = header.to_vec();
    packet.extend_from_slice(&segment);
    send_packet(&packet)
}

/// The next TCP segment from Alice to my port: (sequence number, flags, payload).
fn receive(alice: Ipv4Addr) -> std::io::Result<(u32, u8, Vec<u8>)> {
    loop {
        let packet = receive_packet(Some(Duration::from_secs(2)))?;
        let p = &packet[..];
        if p[9] != 6 || p[12..16] != alice.octets() {
            continue;
        }
        let t = &p[((p[0] & 0x0f) as usize * 4)..];
        if u16::from_be_bytes([t[2], t[3]]) != PORT {
            continue;
        }
        let seq = u32::from_be_bytes([t[4], t[5], t[6], t[7]]);
        let data = t[((t[12] >> 4) as usize * 4)..].to_vec();
        return Ok((seq, t[13], data));
    }
}

fn main() -> std::io::Result<()> {
    let me = Ipv4Addr::new(10, 0, 0, 2);
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    lookup.recv_from(&mut buf)?;
    let alice = Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]);

    let mine: u32 = 1000;
    // The MSS option: kind 2, length 4, 1460.
    send(me, alice, mine, 0, SYN, &[2, 4, 0x05, 0xb4], b"")?;
    let (theirs, flags, _) = receive(alice)?;
    println!("SYN-ACK: seq {} flags {:#04x}", theirs, flags);

    let message = b"Hello Alice, this connection is hand-made!";
    send(me, alice, mine.wrapping_add(1), theirs.wrapping_add(1), PSH, &[], message)?;
    let (_, _, answer) = receive(alice)?;
    println!("Alice: {}", String::from_utf8_lossy(&answer));
    Ok(())
}
