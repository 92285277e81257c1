// The compiler as a service: the API's client (remote.ts) against the real server (server.ts).
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { CompilerBusyError } from "../../src/compile/index.ts";
import { createRemoteCompiler } from "../../src/compile/remote.ts";
import { createCompileServer } from "../../src/compile/server.ts";
import { rustAvailable, testCompiler } from "../helpers/rust.ts";

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const TOKEN = "compile-token-for-tests-0123";

describe.skipIf(!rustAvailable)("the compiler service", () => {
  const compiler = testCompiler();
  afterAll(() => compiler.close());

  it("compiles over HTTP what the local compiler compiles, byte for byte", async () => {
    const url = await listen(
      createCompileServer(compiler, { maxSourceBytes: 65536, token: TOKEN }),
    );
    const remote = createRemoteCompiler({ url, token: TOKEN, timeoutMs: 30_000 });
    await remote.warm();
    const source = 'fn main() { println!("over the wire"); }';
    const local = await compiler.compile(source);
    const result = await remote.compile(source);
    if (!result.ok || !local.ok) throw new Error("expected both to compile");
    expect(Buffer.from(result.wasm).equals(Buffer.from(local.wasm))).toBe(true);
    const error = await remote.compile("fn main() { let x: u8 = 300; }");
    expect(error).toMatchObject({ ok: false, error: { line: 1 } });
  });

  it("refuses a caller without the token, and a body that is not a program", async () => {
    const url = await listen(createCompileServer(compiler, { maxSourceBytes: 100, token: TOKEN }));
    await expect(
      createRemoteCompiler({ url, timeoutMs: 5_000 }).compile("fn main() {}"),
    ).rejects.toThrow(/401/);
    const bad = await fetch(`${url}/v1/compile`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ source: "x".repeat(500) }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("a busy compiler service", () => {
  it("answers 503 with Retry-After, which the client turns into COMPILER_BUSY", async () => {
    const busy = {
      compile: () => Promise.reject(new CompilerBusyError(9)),
      toolchainVersion: async () => "test",
    };
    const url = await listen(createCompileServer(busy, { maxSourceBytes: 1000 }));
    const error = await createRemoteCompiler({ url, timeoutMs: 5_000 })
      .compile("fn main() {}")
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CompilerBusyError);
    expect((error as CompilerBusyError).retryAfterSeconds).toBe(9);
  });
});
