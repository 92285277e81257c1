// Read a captured TCP header field by field.
fn main() -> std::io::Result<()> {
    let segment = std::fs::read("segment.bin")?;
    // segment[0] is the first byte. Combine bytes into numbers, e.g.
    // u16::from_be_bytes([segment[0], segment[1]]).
    println!("the segment has {} bytes", segment.len());
    Ok(())
}
