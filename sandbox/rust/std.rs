// packetlab's `std`: the real standard library, re-exported whole, plus sockets and files that
// live in the simulated network. A learner's program is compiled with `--extern std=<this>`, so
// the lesson's own `use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};` works unchanged.
// Every call here is an import from the host module "packetlab", served by the runner's shim
// through the same bridge as the JavaScript facade; a blocking recv_from blocks in virtual time.
#![no_std]
extern crate std as real;
pub use real::*;

mod host {
    #[link(wasm_import_module = "packetlab")]
    extern "C" {
        pub fn udp_bind(ip: u32, port: u32, bound: *mut u8) -> i32;
        pub fn udp_send_to(id: i32, data: *const u8, len: usize, ip: u32, port: u32) -> i32;
        pub fn udp_recv_from(
            id: i32,
            buf: *mut u8,
            cap: usize,
            timeout_us: i64,
            from: *mut u8,
        ) -> i32;
        pub fn udp_close(id: i32);
        pub fn send_packet(data: *const u8, len: usize) -> i32;
        pub fn file_size(name: *const u8, len: usize) -> i64;
        pub fn read_file(name: *const u8, len: usize, out: *mut u8, cap: usize) -> i32;
        pub fn last_error(out: *mut u8, cap: usize) -> i32;
        pub fn tcp_connect(ip: u32, port: u32, addresses: *mut u8) -> i32;
        pub fn tcp_write(id: i32, data: *const u8, len: usize) -> i32;
        pub fn tcp_read(id: i32, buf: *mut u8, cap: usize, timeout_us: i64) -> i32;
        pub fn tcp_shutdown(id: i32, how: u32) -> i32;
        pub fn tcp_close(id: i32);
        pub fn tcp_connect_timeout(ip: u32, port: u32, timeout_us: i64, addresses: *mut u8) -> i32;
        pub fn tcp_listen(ip: u32, port: u32, bound: *mut u8) -> i32;
        pub fn tcp_accept(id: i32, addresses: *mut u8) -> i32;
        pub fn receive_packet(timeout_us: i64, buf: *mut u8, cap: usize) -> i32;
    }

    use real::io;

    /// The host's last refusal ("Kind\nmessage") as an io::Error of that kind.
    pub fn error() -> io::Error {
        let mut buf = [0u8; 1024];
        let n = unsafe { last_error(buf.as_mut_ptr(), buf.len()) };
        let text = real::str::from_utf8(&buf[..(n.max(0) as usize).min(buf.len())]).unwrap_or("");
        let (kind, message) = text.split_once('\n').unwrap_or(("Other", text));
        let kind = match kind {
            "AddrInUse" => io::ErrorKind::AddrInUse,
            "AddrNotAvailable" => io::ErrorKind::AddrNotAvailable,
            "InvalidInput" => io::ErrorKind::InvalidInput,
            "NotConnected" => io::ErrorKind::NotConnected,
            "WouldBlock" => io::ErrorKind::WouldBlock,
            "TimedOut" => io::ErrorKind::TimedOut,
            "NotFound" => io::ErrorKind::NotFound,
            "ConnectionRefused" => io::ErrorKind::ConnectionRefused,
            "ConnectionReset" => io::ErrorKind::ConnectionReset,
            "BrokenPipe" => io::ErrorKind::BrokenPipe,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, real::string::String::from(message))
    }
}

pub mod net {
    pub use real::net::*;

    use super::host;
    use real::cell::Cell;
    use real::io;
    use real::time::Duration;

    fn first_v4<A: ToSocketAddrs>(addr: A) -> io::Result<SocketAddrV4> {
        for candidate in addr.to_socket_addrs()? {
            if let SocketAddr::V4(v4) = candidate {
                return Ok(v4);
            }
        }
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the simulated network speaks IPv4 only: give an address such as \"10.0.0.53:53\"",
        ))
    }

    fn addr_from(bytes: &[u8; 6]) -> SocketAddrV4 {
        SocketAddrV4::new(
            Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]),
            u16::from_be_bytes([bytes[4], bytes[5]]),
        )
    }

    /// A UDP socket on the learner's host of the simulated network, as std::net::UdpSocket.
    #[derive(Debug)]
    pub struct UdpSocket {
        id: i32,
        local: SocketAddrV4,
        peer: Cell<Option<SocketAddrV4>>,
        read_timeout: Cell<Option<Duration>>,
    }

    impl UdpSocket {
        pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
            let local = first_v4(addr)?;
            let mut bound = [0u8; 6];
            let id = unsafe {
                host::udp_bind(u32::from(*local.ip()), local.port() as u32, bound.as_mut_ptr())
            };
            if id < 0 {
                return Err(host::error());
            }
            Ok(UdpSocket {
                id,
                local: addr_from(&bound),
                peer: Cell::new(None),
                read_timeout: Cell::new(None),
            })
        }

        pub fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], addr: A) -> io::Result<usize> {
            let to = first_v4(addr)?;
            let sent = unsafe {
                host::udp_send_to(
                    self.id,
                    buf.as_ptr(),
                    buf.len(),
                    u32::from(*to.ip()),
                    to.port() as u32,
                )
            };
            if sent < 0 {
                return Err(host::error());
            }
            Ok(sent as usize)
        }

        /// Like Rust's: a datagram longer than `buf` is cut to fit, the rest discarded.
        pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
            let timeout_us = match self.read_timeout.get() {
                Some(d) => d.as_micros().clamp(1, i64::MAX as u128) as i64,
                None => -1,
            };
            let mut from = [0u8; 6];
            let n = unsafe {
                host::udp_recv_from(self.id, buf.as_mut_ptr(), buf.len(), timeout_us, from.as_mut_ptr())
            };
            if n < 0 {
                return Err(host::error());
            }
            Ok((n as usize, SocketAddr::V4(addr_from(&from))))
        }

        pub fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
            self.peer.set(Some(first_v4(addr)?));
            Ok(())
        }

        pub fn peer_addr(&self) -> io::Result<SocketAddr> {
            match self.peer.get() {
                Some(peer) => Ok(SocketAddr::V4(peer)),
                None => Err(io::Error::new(io::ErrorKind::NotConnected, "not connected")),
            }
        }

        pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
            let peer = self.peer_addr()?;
            self.send_to(buf, peer)
        }

        /// Datagrams from anyone but the connected peer are dropped, as the kernel would.
        pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
            let peer = self.peer_addr()?;
            loop {
                let (n, from) = self.recv_from(buf)?;
                if from == peer {
                    return Ok(n);
                }
            }
        }

        pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
            if timeout == Some(Duration::ZERO) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "cannot set a 0 duration timeout",
                ));
            }
            self.read_timeout.set(timeout);
            Ok(())
        }

        pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
            Ok(self.read_timeout.get())
        }

        pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
            if timeout == Some(Duration::ZERO) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "cannot set a 0 duration timeout",
                ));
            }
            Ok(())
        }

        pub fn local_addr(&self) -> io::Result<SocketAddr> {
            Ok(SocketAddr::V4(self.local))
        }
    }

    impl Drop for UdpSocket {
        fn drop(&mut self) {
            unsafe { host::udp_close(self.id) }
        }
    }

    fn micros(timeout: Option<Duration>) -> i64 {
        match timeout {
            Some(d) => d.as_micros().clamp(1, i64::MAX as u128) as i64,
            None => -1,
        }
    }

    /// A TCP connection from the learner's host, as std::net::TcpStream (the simulated
    /// network's TCP does the handshake, retransmission and windows).
    #[derive(Debug)]
    pub struct TcpStream {
        id: i32,
        local: SocketAddrV4,
        peer: SocketAddrV4,
        read_timeout: Cell<Option<Duration>>,
    }

    impl TcpStream {
        pub fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
            let to = first_v4(addr)?;
            let mut addresses = [0u8; 12];
            let id = unsafe {
                host::tcp_connect(u32::from(*to.ip()), to.port() as u32, addresses.as_mut_ptr())
            };
            TcpStream::opened(id, &addresses)
        }

        /// Like connect, giving up with TimedOut after `timeout` of virtual time.
        pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
            if timeout == Duration::ZERO {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "cannot set a 0 duration timeout",
                ));
            }
            let to = first_v4(*addr)?;
            let micros = timeout.as_micros().clamp(1, i64::MAX as u128) as i64;
            let mut addresses = [0u8; 12];
            let id = unsafe {
                host::tcp_connect_timeout(
                    u32::from(*to.ip()),
                    to.port() as u32,
                    micros,
                    addresses.as_mut_ptr(),
                )
            };
            TcpStream::opened(id, &addresses)
        }

        /// A stream from a host call that wrote its local then peer address into `addresses`.
        fn opened(id: i32, addresses: &[u8; 12]) -> io::Result<TcpStream> {
            if id < 0 {
                return Err(host::error());
            }
            let mut local = [0u8; 6];
            let mut peer = [0u8; 6];
            local.copy_from_slice(&addresses[..6]);
            peer.copy_from_slice(&addresses[6..]);
            Ok(TcpStream {
                id,
                local: addr_from(&local),
                peer: addr_from(&peer),
                read_timeout: Cell::new(None),
            })
        }

        pub fn local_addr(&self) -> io::Result<SocketAddr> {
            Ok(SocketAddr::V4(self.local))
        }

        pub fn peer_addr(&self) -> io::Result<SocketAddr> {
            Ok(SocketAddr::V4(self.peer))
        }

        pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
            let how = match how {
                Shutdown::Read => 0,
                Shutdown::Write => 1,
                Shutdown::Both => 2,
            };
            if unsafe { host::tcp_shutdown(self.id, how) } < 0 {
                return Err(host::error());
            }
            Ok(())
        }

        pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
            if timeout == Some(Duration::ZERO) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "cannot set a 0 duration timeout",
                ));
            }
            self.read_timeout.set(timeout);
            Ok(())
        }

        pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
            Ok(self.read_timeout.get())
        }

        pub fn set_nodelay(&self, _nodelay: bool) -> io::Result<()> {
            Ok(())
        }
    }

    impl io::Read for &TcpStream {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if buf.is_empty() {
                return Ok(0);
            }
            let timeout = micros(self.read_timeout.get());
            let n = unsafe { host::tcp_read(self.id, buf.as_mut_ptr(), buf.len(), timeout) };
            if n < 0 {
                return Err(host::error());
            }
            Ok(n as usize)
        }
    }

    impl io::Write for &TcpStream {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let len = buf.len().min(1 << 20);
            let n = unsafe { host::tcp_write(self.id, buf.as_ptr(), len) };
            if n < 0 {
                return Err(host::error());
            }
            Ok(n as usize)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl io::Read for TcpStream {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            (&*self).read(buf)
        }
    }

    impl io::Write for TcpStream {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            (&*self).write(buf)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Drop for TcpStream {
        fn drop(&mut self) {
            unsafe { host::tcp_close(self.id) }
        }
    }

    /// A listening TCP port on the learner's host, as std::net::TcpListener.
    #[derive(Debug)]
    pub struct TcpListener {
        id: i32,
        local: SocketAddrV4,
    }

    impl TcpListener {
        /// Listens on a port (0 picks a free one).
        pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
            let local = first_v4(addr)?;
            let mut bound = [0u8; 6];
            let id = unsafe {
                host::tcp_listen(u32::from(*local.ip()), local.port() as u32, bound.as_mut_ptr())
            };
            if id < 0 {
                return Err(host::error());
            }
            Ok(TcpListener { id, local: addr_from(&bound) })
        }

        /// Waits for the next connection (in virtual time); the stream and who connected.
        pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
            let mut addresses = [0u8; 12];
            let id = unsafe { host::tcp_accept(self.id, addresses.as_mut_ptr()) };
            let stream = TcpStream::opened(id, &addresses)?;
            let peer = SocketAddr::V4(stream.peer);
            Ok((stream, peer))
        }

        pub fn incoming(&self) -> Incoming<'_> {
            Incoming { listener: self }
        }

        pub fn local_addr(&self) -> io::Result<SocketAddr> {
            Ok(SocketAddr::V4(self.local))
        }
    }

    impl Drop for TcpListener {
        fn drop(&mut self) {
            unsafe { host::tcp_close(self.id) }
        }
    }

    /// The connections a listener accepts, one by one, as std's Incoming.
    #[derive(Debug)]
    pub struct Incoming<'a> {
        listener: &'a TcpListener,
    }

    impl<'a> Iterator for Incoming<'a> {
        type Item = io::Result<TcpStream>;
        fn next(&mut self) -> Option<io::Result<TcpStream>> {
            Some(self.listener.accept().map(|(stream, _)| stream))
        }
    }

    /// The next IPv4 packet that reaches the learner's host and no socket of theirs (the
    /// hand-made handshake's answers), waiting at most `timeout` (None: until one comes).
    pub fn receive_packet(timeout: Option<Duration>) -> io::Result<real::vec::Vec<u8>> {
        let mut buf = real::vec![0u8; 65_535];
        let n = unsafe { host::receive_packet(micros(timeout), buf.as_mut_ptr(), buf.len()) };
        if n < 0 {
            return Err(host::error());
        }
        buf.truncate(n as usize);
        Ok(buf)
    }

    /// Sends a whole IPv4 packet, built byte by byte, from the learner's host.
    pub fn send_packet(packet: &[u8]) -> io::Result<()> {
        if unsafe { host::send_packet(packet.as_ptr(), packet.len()) } < 0 {
            return Err(host::error());
        }
        Ok(())
    }
}

pub mod fs {
    pub use real::fs::*;

    use super::host;
    use real::io;
    use real::path::Path;
    use real::string::String;
    use real::vec::Vec;

    /// The lesson's files (the photo), by name.
    pub fn read<P: AsRef<Path>>(path: P) -> io::Result<Vec<u8>> {
        let name = path.as_ref().to_str().unwrap_or("").as_bytes();
        let size = unsafe { host::file_size(name.as_ptr(), name.len()) };
        if size < 0 {
            return Err(host::error());
        }
        let mut bytes = real::vec![0u8; size as usize];
        let n = unsafe { host::read_file(name.as_ptr(), name.len(), bytes.as_mut_ptr(), bytes.len()) };
        if n < 0 {
            return Err(host::error());
        }
        bytes.truncate(n as usize);
        Ok(bytes)
    }

    pub fn read_to_string<P: AsRef<Path>>(path: P) -> io::Result<String> {
        String::from_utf8(read(path)?)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
    }
}
