// Hostile: Rust programs that never end. isolated-vm's timeout and the CPU watchdog cover wasm
// as they cover JavaScript; printing and sending in a loop meet the output and network caps.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthyRust, rustAvailable, rustRunner, runRust } from "../helpers/rust.ts";

const { runner, close } = rustRunner();
afterAll(close);
const limits = { cpuMs: 300, wallMs: 2000 };
// Loops that meet a cap: the cap is small and the time generous, so the cap is reached first
// on any machine. Each line or datagram is a host call: printing the default 64 KB of output
// (~11,000 lines) took 340-420 ms of the isolate's CPU on a machine of ours, past 300 ms, and
// the run then ended time-limit, not output-limit.
const capped = { cpuMs: 5_000, wallMs: 20_000, outputBytes: 2_000, maxPackets: 50 };

describe.skipIf(!rustAvailable)("infinite loops", () => {
  it("an empty loop: time-limit", async () => {
    const result = await runRust(runner, "fn main() { loop {} }", limits);
    expect(result.outcome).toBe("time-limit");
    await expectHealthyRust(runner);
  });

  it("a loop the optimiser cannot remove: time-limit", async () => {
    const result = await runRust(
      runner,
      'fn main() { let mut x: u64 = 1; loop { x = x.wrapping_mul(6364136223846793005).wrapping_add(1); if x == 42 { break; } } println!("{}", x); }',
      limits,
    );
    expect(result.outcome).toBe("time-limit");
    await expectHealthyRust(runner);
  });

  it("printing forever: output-limit", async () => {
    const result = await runRust(runner, 'fn main() { loop { println!("again"); } }', capped);
    expect(result.outcome).toBe("output-limit");
    expect(result.outputTruncated).toBe(true);
    await expectHealthyRust(runner);
  });

  it("sending forever: network-limit", async () => {
    const result = await runRust(
      runner,
      'fn main() { let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap(); loop { let _ = s.send_to(b"x", "10.0.0.7:1000"); } }',
      capped,
    );
    expect(result.outcome).toBe("network-limit");
    await expectHealthyRust(runner);
  });

  it("polling a socket with a tiny timeout forever: a limit, never a hang", async () => {
    const result = await runRust(
      runner,
      `use std::time::Duration;
fn main() {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    s.set_read_timeout(Some(Duration::from_micros(1))).unwrap();
    let mut buf = [0u8; 8];
    loop { let _ = s.recv_from(&mut buf); }
}`,
      limits,
    );
    expect(["time-limit", "network-limit"]).toContain(result.outcome);
    await expectHealthyRust(runner);
  });

  it("sleeping is refused (there is no real time to wait in), not a hang", async () => {
    const result = await runRust(
      runner,
      "fn main() { std::thread::sleep(std::time::Duration::from_secs(3600)); }",
      limits,
    );
    expect(result.outcome).toBe("runtime-error");
    await expectHealthyRust(runner);
  });
});
