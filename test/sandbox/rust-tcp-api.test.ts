// Rust's std::net::TcpStream and TcpListener (sandbox/rust/std.rs) on the same network as the
// JavaScript TCP API's test: Alice on TCP, a web server, and a caller that connects to the
// learner's listener. The errors are io::ErrorKinds, as real Rust reports them.
import { afterAll, describe, expect, it } from "vitest";
import type { TopologySpec } from "../../src/netsim/types.ts";
import { rustAvailable, rustRunner } from "../helpers/rust.ts";

const topology: TopologySpec = {
  hosts: [
    { name: "learner", address: "10.0.0.2" },
    { name: "alice", address: "10.0.0.7" },
    { name: "www", address: "10.0.0.80" },
  ],
  links: [
    { a: "learner", b: "alice", latencyUs: 5000 },
    { a: "learner", b: "www", latencyUs: 5000 },
  ],
  records: [],
  peers: [
    { kind: "alice", host: "alice", tcpPort: 1000 },
    { kind: "web-server", host: "www", page: "<p>hi</p>" },
    { kind: "tcp-caller", host: "alice", port: 5000, message: "knock knock" },
  ],
  learnerHost: "learner",
};

describe.skipIf(!rustAvailable)("Rust TcpStream and TcpListener", () => {
  const { runner, close } = rustRunner();
  afterAll(close);

  async function outputOf(code: string): Promise<string[]> {
    const result = await runner.run({ code, language: "rust", topology, seed: 1 });
    if (result.outcome !== "ok") throw new Error(`${result.outcome}: ${result.message}`);
    return result.output.map((line) => line.text);
  }

  it("talks to Alice, fetches a page, and reports refusals and timeouts as io::ErrorKinds", async () => {
    const output = await outputOf(`
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let mut alice = TcpStream::connect("10.0.0.7:1000")?;
    println!("{} {}", alice.peer_addr()?, alice.local_addr()?.ip());
    alice.write_all(b"hello")?;
    let mut buf = [0u8; 1500];
    let n = alice.read(&mut buf)?;
    println!("{}", String::from_utf8_lossy(&buf[..n]));
    alice.shutdown(Shutdown::Write)?;
    println!("{}", alice.read(&mut buf)?);

    let mut web = TcpStream::connect("10.0.0.80:80")?;
    web.write_all(b"GET / HTTP/1.0\\r\\n\\r\\n")?;
    let mut page = String::new();
    web.read_to_string(&mut page)?;
    println!("{} {}", page.lines().next().unwrap(), page.ends_with("<p>hi</p>"));

    let refused = TcpStream::connect("10.0.0.80:81").unwrap_err();
    println!("{}", refused.kind() == ErrorKind::ConnectionRefused);

    let mut quiet = TcpStream::connect("10.0.0.7:1000")?;
    quiet.set_read_timeout(Some(Duration::from_millis(50)))?;
    println!("{:?}", quiet.read(&mut buf).unwrap_err().kind());
    println!("{:?}", quiet.set_read_timeout(Some(Duration::ZERO)).unwrap_err().kind());
    Ok(())
}
`);
    expect(output).toEqual([
      "10.0.0.7:1000 10.0.0.2",
      "Hi, this is Alice. I got your message: hello",
      "0",
      "HTTP/1.0 200 OK true",
      "true",
      "WouldBlock",
      "InvalidInput",
    ]);
  });

  it("connect_timeout connects within its time, gives up with TimedOut, refuses a zero duration", async () => {
    const output = await outputOf(`
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let alice: SocketAddr = "10.0.0.7:1000".parse().unwrap();
    let stream = TcpStream::connect_timeout(&alice, Duration::from_secs(1))?;
    println!("{}", stream.peer_addr()?);
    let zero = TcpStream::connect_timeout(&alice, Duration::ZERO).unwrap_err();
    println!("{:?}", zero.kind());
    let nobody: SocketAddr = "10.0.0.99:1000".parse().unwrap();
    println!("{:?}", TcpStream::connect_timeout(&nobody, Duration::from_millis(200)).unwrap_err().kind());
    Ok(())
}
`);
    expect(output).toEqual(["10.0.0.7:1000", "InvalidInput", "TimedOut"]);
  });

  it("accepts a connection from a peer", async () => {
    const output = await outputOf(`
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("0.0.0.0:5000")?;
    println!("{}", listener.local_addr()?);
    let (mut stream, from) = listener.accept()?;
    let mut buf = [0u8; 100];
    let n = stream.read(&mut buf)?;
    println!("{} {}", from, String::from_utf8_lossy(&buf[..n]));
    stream.write_all(b"who's there?")?;
    Ok(())
}
`);
    expect(output[0]).toBe("0.0.0.0:5000");
    expect(output[1]).toMatch(/^10\.0\.0\.7:\d+ knock knock$/);
  });
});
