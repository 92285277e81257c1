import { afterAll, describe, expect, it } from "vitest";
import { ALLOWED_IMPORTS, CompilerBusyError, checkModule } from "../../src/compile/index.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

const compiler = testCompiler();
afterAll(() => compiler.close());

const HELLO = `use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
fn main() {
    let _ = (Ipv4Addr::LOCALHOST, SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 53), 53));
    let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    println!("bound {:?}", socket.local_addr());
}
`;

describe.skipIf(!rustAvailable)("Rust → wasm32-wasi in the sandbox", () => {
  it("compiles the lesson's own use line into a module that imports only what is served", async () => {
    const result = await compiler.compile(HELLO);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.cached).toBe(false);
    expect(
      checkModule(result.wasm, { allowedImports: ALLOWED_IMPORTS, maxMemoryBytes: 64 << 20 }),
    ).toEqual({ ok: true });
    // The socket comes from the facade: an import of the host module, not WASI's sockets.
    expect(Buffer.from(result.wasm).includes("udp_bind")).toBe(true);
  });

  it("answers the same source from the cache, and a changed one by compiling", async () => {
    const again = await compiler.compile(HELLO);
    expect(again).toMatchObject({ ok: true, cached: true });
    const changed = await compiler.compile(HELLO.replace("bound", "bound at"));
    expect(changed).toMatchObject({ ok: true, cached: false });
    expect(changed.key).not.toBe(again.key);
  });

  it("positions a type error in main.rs, with no path of the sandbox or the host", async () => {
    const result = await compiler.compile('fn main() {\n    let x: u8 = "text";\n}\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ name: "error[E0308]", line: 2, column: 17 });
    expect(result.error.message).toMatch(/mismatched types/);
    const text = JSON.stringify(result.error);
    expect(text).not.toMatch(/\/job|\/usr|\/tmp|rustlib|packetlab-rust/);
  });

  it("refuses a program that needs a file API nobody serves, saying what to use", async () => {
    const result = await compiler.compile(
      'fn main() { let f = std::fs::File::open("photo.bmp"); println!("{:?}", f.is_ok()); }',
    );
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error.message).toMatch(/std::fs::read/);
  });

  it("waits in a bounded queue: past it, COMPILER_BUSY", async () => {
    const busy = testCompiler({ pool: { concurrency: 1, maxQueue: 0, maxWaitMs: 30_000 } });
    try {
      await busy.warm();
      const first = busy.compile('fn main() { println!("one"); }');
      await expect(busy.compile('fn main() { println!("two"); }')).rejects.toBeInstanceOf(
        CompilerBusyError,
      );
      await expect(first).resolves.toMatchObject({ ok: true });
    } finally {
      await busy.close();
    }
  });
});
