// expect-fail: received-answer
// expect-message: your computer dropped the answer
// expect-subject: udp.destinationPort
// The socket is dropped (closed) right after sending; the answer finds no one listening.
use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    drop(socket);
    println!("asked");
    Ok(())
}
