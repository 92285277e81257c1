// expect-fail: asked-name-server
// expect-message: on port 35; it listens on port 53
// expect-subject: udp.destinationPort = 35
// The port's digits swapped: the question goes nowhere.
use std::net::UdpSocket;
use std::time::Duration;

fn main() {
    let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    socket.send_to(b"www.packetlab.test", "10.0.0.53:35").unwrap();
    let mut answer = [0u8; 512];
    match socket.recv_from(&mut answer) {
        Ok((n, _)) => println!("{:?}", &answer[..n]),
        Err(error) => println!("no answer: {}", error),
    }
}
