// Ask the name server for the address of a name, and print it.
use std::net::UdpSocket;
use std::time::Duration;

const NAME_SERVER: &str = "10.0.0.53:53";

fn main() -> std::io::Result<()> {
    let name = ""; // TODO: the name to look up

    // Port 0 lets the system pick any free port for us.
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(name.as_bytes(), NAME_SERVER)?;

    let mut answer = [0u8; 512];
    let (n, from) = socket.recv_from(&mut answer)?;
    println!("{} answered with {} bytes", from, n);
    // TODO: print the address in the answer
    Ok(())
}
