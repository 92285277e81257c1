import { afterAll, describe, expect, it } from "vitest";
import { RunnerBusyError } from "../../src/runner/index.ts";
import { expectHealthy, lines, request, run, startRunner } from "./helpers.ts";

const runner = startRunner({ workers: 1 });
afterAll(() => runner.close());

describe("a run on the default topology", () => {
  it("asks the name server, talks to Alice, and reports packets, peers and output", async () => {
    const result = await run(
      runner,
      `import { UdpSocket, Ipv4Addr, decodeText } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       socket.sendTo("alice", "10.0.0.53:53");
       const [answer, from] = socket.recvFrom();
       const alice = Ipv4Addr.fromBytes(answer);
       console.log("alice is", alice, "answered by", from);
       socket.sendTo("hello", alice + ":1000");
       const [reply] = socket.recvFrom();
       console.log(decodeText(reply));`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)[0]).toBe("alice is 10.0.0.7 answered by 10.0.0.53:53");
    expect(lines(result)[1]).toContain("hello");
    expect(result.packets).toHaveLength(4);
    expect(result.learner).toEqual({ host: "learner", address: "10.0.0.2" });
    expect(result.virtualTimeUs).toBeGreaterThan(0);
    expect(JSON.stringify(result.peers)).toContain("hello");
    // Streamed in the order things happened: a packet before the output that depends on it.
    const kinds = result.events.map((e) => e.type);
    expect(kinds).toEqual(["packet", "packet", "output", "packet", "packet", "output"]);
  });

  it("delivers datagrams still in flight when the program ends", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";
       UdpSocket.bind("0.0.0.0:0").sendTo("fire and forget", "10.0.0.7:1000");`,
    );
    expect(result.outcome).toBe("ok");
    expect(JSON.stringify(result.peers)).toContain("fire and forget");
  });

  it("runs TypeScript with its types stripped", async () => {
    const result = await run(
      runner,
      `import { SocketAddrV4 } from "net";
       interface Named { name: string }
       const who: Named = { name: "Alice" };
       const addr: SocketAddrV4 = SocketAddrV4.parse("10.0.0.7:1000");
       console.log(who.name, addr.port() as number);`,
      { language: "typescript" },
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["Alice 1000"]);
  });

  it("runs TypeScript's enums, parameter properties and type-only imports", async () => {
    const result = await run(
      runner,
      `import type { UdpSocket } from "net";
       import { SocketAddrV4 } from "net";
       enum Port { Dns = 53, Alice = 1000 }
       class Peer {
         constructor(private readonly addr: SocketAddrV4, public label: string) {}
         describe(): string { return \`\${this.label} \${this.addr.port()}\`; }
       }
       const unused: UdpSocket | null = null;
       console.log(new Peer(SocketAddrV4.parse("10.0.0.7:" + Port.Alice), "alice").describe(), Port[53], unused);`,
      { language: "typescript" },
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["alice 1000 Dns null"]);
  });

  it("supports top-level await and the async socket calls", async () => {
    const result = await run(
      runner,
      `import { UdpSocket, decodeText } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const pending = socket.recvFromAsync();
       await socket.sendToAsync("hi", "10.0.0.7:1000");
       const [reply, from] = await pending;
       console.log(from.toString(), decodeText(reply).length > 0);`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["10.0.0.7:1000 true"]);
  });
});

describe("errors in the learner's code", () => {
  it("reports a JavaScript syntax error at the learner's line and column", async () => {
    const result = await run(runner, `const a = 1;\nconst b = ;\n`);
    expect(result.outcome).toBe("compile-error");
    expect(result.error).toMatchObject({ name: "SyntaxError", line: 2, column: 11 });
    expect(result.message).toContain("line 2");
  });

  it("reports a TypeScript syntax error at the learner's line and column", async () => {
    const result = await run(runner, `const a: number = 1;\nlet b: = 2;\n`, {
      language: "typescript",
    });
    expect(result.outcome).toBe("compile-error");
    expect(result.error).toMatchObject({ line: 2, column: 8 });
  });

  it("refuses imports of modules other than net and fs", async () => {
    const result = await run(runner, `import { readFileSync } from "node:fs";\n`);
    expect(result.outcome).toBe("compile-error");
    expect(result.error?.message).toContain('"node:fs"');
    expect(result.error?.line).toBe(1);
  });

  it("positions a runtime error in the learner's JavaScript, with no host paths", async () => {
    const result = await run(
      runner,
      `function greet(who) {\n  return who.name.toUpperCase();\n}\ngreet({});\n`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "TypeError", line: 2, column: 19 });
    expect(result.error?.stack).toContain("at greet (main.js:2:19)");
    expect(result.error?.stack).not.toMatch(/work|node_modules|sandbox|isolated-vm/);
  });

  it("maps a runtime error in TypeScript back through the source map", async () => {
    const result = await run(
      runner,
      `type Greeting = { text: string };\n\nconst g: Greeting = { text: "hi" };\nthrow new RangeError("bad " + g.text);\n`,
      { language: "typescript" },
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "RangeError", message: "bad hi", line: 4 });
    expect(result.error?.stack).toContain("main.ts:4:");
  });

  it("puts a runtime error in TypeScript at the learner's column, past the types before it", async () => {
    const code = `const o: { x: { y: number } } | null = null as any; console.log(o!.x.y);\n`;
    const result = await run(runner, code, { language: "typescript" });
    expect(result.outcome).toBe("runtime-error");
    // V8 places "Cannot read properties of null (reading 'x')" at the property read: the "x" of
    // "o!.x", a column the stripped text has 36 characters earlier.
    expect(result.error).toMatchObject({
      name: "TypeError",
      line: 1,
      column: code.indexOf("x.y") + 1,
    });
    expect(result.error?.stack).toContain(`main.ts:1:${code.indexOf("x.y") + 1}`);
  });

  it("hides sandbox frames from errors thrown by the API", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";\n\nUdpSocket.bind("nonsense");\n`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "AddrParseError", line: 3 });
    expect(result.error?.stack).not.toContain("packetlab");
  });

  it("turns a thrown non-Error into a runtime error", async () => {
    const result = await run(runner, `throw "just a string";`);
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toContain("just a string");
  });
});

describe("files, limits and the pool", () => {
  it("reads the exercise's files through the fs module", async () => {
    const result = await run(
      runner,
      `import { readFile, listFiles } from "fs";
       import { IoError } from "net";
       console.log(listFiles().join(","), readFile("photo.jpg").length);
       try { readFile("secret"); } catch (e) { console.log(e instanceof IoError, e.kind); }`,
      { files: { "photo.jpg": new Uint8Array(3000).fill(7) } },
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["photo.jpg 3000", "true NotFound"]);
  });

  it("clamps requested limits to the configured ones", async () => {
    const result = await run(runner, `1`, { limits: { cpuMs: 10 ** 7, outputBytes: 100 } });
    expect(result.limits.cpuMs).toBe(2_000);
    expect(result.limits.outputBytes).toBe(100);
  });

  it("cancels a run through its AbortSignal", async () => {
    const controller = new AbortController();
    const pending = runner.run(request(`for (;;) {}`), { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toContain("cancelled");
    await expectHealthy(runner);
  });

  it("rejects with RunnerBusyError when the queue is full", async () => {
    const small = startRunner({ workers: 1, maxQueue: 1 });
    try {
      await small.run(request(`1`)); // the worker is up and idle
      const first = small.run(request(`1`));
      const second = small.run(request(`1`));
      await expect(small.run(request(`1`))).rejects.toBeInstanceOf(RunnerBusyError);
      await Promise.all([first, second]);
      expect(small.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    } finally {
      await small.close();
    }
  });
});
