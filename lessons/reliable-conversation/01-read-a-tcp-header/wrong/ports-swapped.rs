// expect-fail: ports
// expect-message: the source port comes first
// expect-subject: none
fn main() -> std::io::Result<()> {
    let s = std::fs::read("segment.bin")?;
    let u16_at = |at: usize| u16::from_be_bytes([s[at], s[at + 1]]);
    let u32_at = |at: usize| u32::from_be_bytes([s[at], s[at + 1], s[at + 2], s[at + 3]]);

    let names = ["CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"];
    let flags: Vec<&str> = (0..8)
        .filter(|i| s[13] & (0x80 >> i) != 0)
        .map(|i| names[i])
        .collect();
    // The data offset counts 32-bit words.
    let header_length = (s[12] >> 4) as usize * 4;

    println!("source port: {}", u16_at(2));
    println!("destination port: {}", u16_at(0));
    println!("sequence number: {}", u32_at(4));
    println!("acknowledgment number: {}", u32_at(8));
    println!("header length: {} bytes", header_length);
    println!("flags: {}", flags.join(" "));
    println!("window: {}", u16_at(14));

    // Options: kind, length, data; 0 ends the list, 1 is padding.
    let mut at = 20;
    while at < header_length {
        match s[at] {
            0 => break,
            1 => at += 1,
            kind => {
                if kind == 2 {
                    println!("mss: {}", u16_at(at + 2));
                }
                at += s[at + 1] as usize;
            }
        }
    }
    Ok(())
}
