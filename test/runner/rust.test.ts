import { afterAll, describe, expect, it } from "vitest";
import { loadLessons } from "../../src/grading/index.ts";
import { defaultTopology } from "../../src/netsim/index.ts";
import type { RunEvent, RunRequest } from "../../src/runner/types.ts";
import { HEALTHY_RUST, rustAvailable, rustRunner } from "../helpers/rust.ts";

const { runner, close } = rustRunner();
afterAll(close);

async function runRust(code: string, extra: Partial<RunRequest> = {}) {
  const events: RunEvent[] = [];
  let compiling = 0;
  const result = await runner.run(
    { code, language: "rust", topology: defaultTopology(), seed: 1, ...extra },
    { onEvent: (event) => events.push(event), onCompiling: () => compiling++ },
  );
  return { ...result, events, compiling, lines: result.output.map((line) => line.text) };
}

describe.skipIf(!rustAvailable)("Rust programs in the sandbox", () => {
  it("runs the lesson's own socket code against the simulated network", async () => {
    const result = await runRust(`use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    socket.send_to(b"alice", "10.0.0.53:53")?;
    let mut buf = [0u8; 1500];
    let (n, from) = socket.recv_from(&mut buf)?;
    let alice = Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]);
    println!("alice is {} answered by {} ({} bytes)", alice, from, n);
    socket.send_to(b"hello", SocketAddrV4::new(alice, 1000))?;
    let (n, _) = socket.recv_from(&mut buf)?;
    println!("{}", String::from_utf8_lossy(&buf[..n]));
    Ok(())
}
`);
    expect(result.message).toBe("Your program finished.");
    expect(result.outcome).toBe("ok");
    expect(result.compiling).toBe(1);
    expect(result.lines[0]).toBe("alice is 10.0.0.7 answered by 10.0.0.53:53 (4 bytes)");
    expect(result.lines[1]).toContain("hello");
    expect(result.packets).toHaveLength(4);
    expect(result.events.map((e) => e.type)).toEqual([
      "packet",
      "packet",
      "output",
      "packet",
      "packet",
      "output",
    ]);
  });

  it("reports a compile error at its line and column without running", async () => {
    const result = await runRust('fn main() {\n    let x: u32 = "no";\n}\n');
    expect(result.outcome).toBe("compile-error");
    expect(result.error).toMatchObject({ line: 2, column: 18 });
    expect(result.message).toMatch(
      /could not be compiled: mismatched types.* on line 2, column 18/,
    );
    expect(result.packets).toHaveLength(0);
  });

  it("a panic is a runtime error at the panic's line", async () => {
    const result = await runRust(
      'fn main() {\n    let v: Vec<u8> = Vec::new();\n    println!("{}", v[3]);\n}\n',
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "panic", line: 3, column: 20 });
    expect(result.error?.message).toMatch(/index out of bounds/);
  });

  it("main returning Err is a runtime error quoting it; a read timeout is WouldBlock", async () => {
    const result = await runRust(`use std::net::UdpSocket;
use std::time::Duration;
fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_millis(50)))?;
    let mut buf = [0u8; 64];
    socket.recv_from(&mut buf)?;
    Ok(())
}
`);
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/WouldBlock/);
    expect(result.virtualTimeUs).toBeGreaterThanOrEqual(50_000);
  });

  it("waiting forever is a time limit, as in JavaScript", async () => {
    const result = await runRust(`use std::net::UdpSocket;
fn main() {
    let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    let mut buf = [0u8; 64];
    socket.recv_from(&mut buf).unwrap();
}
`);
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toMatch(/waited forever/);
  });

  it("reads the lesson's files with std::fs::read, sends raw packets, and keeps time virtual", async () => {
    const result = await runRust(
      `use std::time::{Instant, SystemTime, UNIX_EPOCH};
fn main() {
    let photo = std::fs::read("photo.bmp").unwrap();
    println!("{} bytes, starting {:?}", photo.len(), &photo[..2]);
    println!("{:?}", std::fs::read("nope").unwrap_err().kind());
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    println!("{}", since);
    let start = Instant::now();
    let mut header = [0u8; 20];
    header[0] = 0x45;
    println!("{:?}", std::net::send_packet(&header).is_ok());
    println!("{}", start.elapsed().as_secs() < 1);
}
`,
      { files: { "photo.bmp": new Uint8Array([0x42, 0x4d, 1, 2, 3]) } },
    );
    expect(result.outcome).toBe("ok");
    expect(result.lines).toEqual([
      "5 bytes, starting [66, 77]",
      "NotFound",
      String(Date.UTC(2024, 0, 1) / 1000),
      "true",
      "true",
    ]);
    expect(result.packets.length).toBeGreaterThanOrEqual(1);
  });

  it("std::net::TcpStream talks to the TCP lesson's Alice; a refused connect is ConnectionRefused", async () => {
    const lessons = await loadLessons("lessons");
    const instance = lessons.lesson("reliable-conversation")!.topology(3, "stream-to-alice");
    const code = `use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream, UdpSocket};
fn main() -> std::io::Result<()> {
    let lookup = UdpSocket::bind("0.0.0.0:0")?;
    lookup.send_to(b"alice.packetlab.test", "10.0.0.53:53")?;
    let mut a = [0u8; 512];
    lookup.recv_from(&mut a)?;
    let mut stream = TcpStream::connect((std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]), 1000))?;
    stream.write_all(b"over TCP")?;
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf)?;
    println!("{} {}", stream.peer_addr()?.port(), n > 0);
    stream.shutdown(Shutdown::Write)?;
    println!("{:?}", TcpStream::connect("10.0.0.53:9").unwrap_err().kind());
    Ok(())
}
`;
    const result = await runRust(code, { topology: instance.topology });
    expect(result.message).toBe("Your program finished.");
    expect(result.lines).toEqual(["1000 true", "ConnectionRefused"]);
    expect(result.packets.some((p) => p.summary.includes("SYN"))).toBe(true);
  });

  it("a cached module runs again without compiling, and the next healthy run works", async () => {
    const first = await runRust(HEALTHY_RUST);
    const second = await runRust(HEALTHY_RUST);
    expect(first.outcome).toBe("ok");
    expect(second.outcome).toBe("ok");
    expect(second.lines).toEqual(first.lines);
  });
});
