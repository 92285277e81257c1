// Hostile: modules that ask for more than the runner serves. A program may declare any import
// it likes; the compiled module is refused unless every import is one the WASI shim or the
// "packetlab" host module serves, and unless it caps its own memory. The runner checks again
// before it runs anything (a module handed to it directly, here without the compiler).
import { afterAll, describe, expect, it } from "vitest";
import { defaultTopology } from "../../src/netsim/index.ts";
import { expectHealthyRust, rustAvailable, rustRunner, runRust } from "../helpers/rust.ts";

const { runner, pool, close } = rustRunner();
afterAll(close);

/** A minimal module: one memory with the given limits, optionally one function import. */
function module(memory: number[], importName?: [string, string]): Uint8Array {
  const name = (text: string) => [text.length, ...Buffer.from(text)];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, [1, 0x60, 0, 0])); // one type: () -> ()
  if (importName) {
    bytes.push(...section(2, [1, ...name(importName[0]), ...name(importName[1]), 0x00, 0]));
  }
  bytes.push(...section(5, [1, ...memory]));
  return new Uint8Array(bytes);
}

describe.skipIf(!rustAvailable)("forbidden imports", () => {
  it.each([
    [
      "a function of a module nobody serves",
      '#[link(wasm_import_module = "env")]\nextern "C" { fn system(command: *const u8) -> i32; }\nfn main() { unsafe { system(b"ls\\0".as_ptr()); } }',
      /env\.system/,
    ],
    [
      "a WASI call outside the served subset (sockets)",
      '#[link(wasm_import_module = "wasi_snapshot_preview1")]\nextern "C" { fn sock_accept(fd: i32, flags: i32, out: *mut i32) -> i32; }\nfn main() { let mut fd = 0; unsafe { sock_accept(3, 0, &mut fd); } }',
      /UdpSocket/,
    ],
    [
      "the file system through std::fs::File",
      'fn main() { let f = std::fs::File::open("/etc/passwd"); println!("{}", f.is_ok()); }',
      /std::fs::read/,
    ],
    [
      "a WASI call outside the served subset (signals)",
      '#[link(wasm_import_module = "wasi_snapshot_preview1")]\nextern "C" { fn proc_raise(signal: u8) -> u16; }\nfn main() { unsafe { proc_raise(9); } }',
      /wasi_snapshot_preview1\.proc_raise, which is not available here/,
    ],
  ])("%s: refused before it runs", async (_name, source, message) => {
    const result = await runRust(runner, source);
    expect(result.outcome).toBe("compile-error");
    expect(result.error?.message).toMatch(message);
    expect(result.packets).toHaveLength(0);
    await expectHealthyRust(runner);
  });

  it("a served import called with pointers outside the program's memory: its runtime error", async () => {
    const result = await runRust(
      runner,
      `#[link(wasm_import_module = "packetlab")]
extern "C" { fn udp_send_to(id: i32, data: *const u8, len: usize, ip: u32, port: u32) -> i32; }
fn main() {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let _ = s;
    unsafe { udp_send_to(1, 0x7fff_fff0 as *const u8, 4096, 0x0a000007, 1000); }
}`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/outside its memory/);
    await expectHealthyRust(runner);
  });

  it.each([
    [
      "tcp_connect told to write the addresses outside memory",
      `#[link(wasm_import_module = "packetlab")]
extern "C" { fn tcp_connect(ip: u32, port: u32, addresses: *mut u8) -> i32; }
fn main() { unsafe { tcp_connect(0x0a000007, 1000, 0x7fff_fff0 as *mut u8); } }`,
    ],
    [
      "tcp_read into a buffer past the end of memory",
      `#[link(wasm_import_module = "packetlab")]
extern "C" { fn tcp_read(id: i32, buf: *mut u8, cap: usize, timeout_us: i64) -> i32; }
fn main() { unsafe { tcp_read(1, 16 as *mut u8, 0x7fff_0000, -1); } }`,
    ],
    [
      "tcp_listen told to write its address outside memory",
      `#[link(wasm_import_module = "packetlab")]
extern "C" { fn tcp_listen(ip: u32, port: u32, bound: *mut u8) -> i32; }
fn main() { unsafe { tcp_listen(0, 5000, 0x7fff_fff0 as *mut u8); } }`,
    ],
    [
      "tcp_accept told to write the addresses outside memory",
      `#[link(wasm_import_module = "packetlab")]
extern "C" { fn tcp_accept(id: i32, addresses: *mut u8) -> i32; }
fn main() { unsafe { tcp_accept(1, 0x7fff_fff0 as *mut u8); } }`,
    ],
  ])("%s: a runtime error before anything is sent", async (_name, source) => {
    const result = await runRust(runner, source);
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/outside its memory/);
    expect(result.packets).toHaveLength(0);
    await expectHealthyRust(runner);
  });

  it.each([
    ["a memory without a maximum", module([0x00, 1]), /no maximum/],
    ["a memory that may grow to 4 GB", module([0x01, 1, 0x80, 0x80, 0x04]), /4096 MB/],
    ["an import nobody serves", module([0x01, 1, 1], ["env", "abort"]), /env\.abort/],
    [
      "bytes that are not a module",
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
      /not a WebAssembly module/,
    ],
  ])("a module handed to the runner directly with %s is refused", async (_name, wasm, message) => {
    const result = await pool.run({
      code: "(hand-made)",
      language: "rust",
      topology: defaultTopology(),
      seed: 1,
      wasm,
    });
    expect(result.outcome).toBe("compile-error");
    expect(result.error?.message).toMatch(message);
  });
});
