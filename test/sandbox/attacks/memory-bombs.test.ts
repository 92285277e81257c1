// Attack class: memory growth. Arrays and strings hit the isolate's heap limit; growing a Map,
// Set or object can make V8 abort the whole worker process instead: either way the run is
// "memory-limit" and the pool replaces what it lost.
//
// When two limits are near, the first one reached wins (src/runner/README.md). Near its heap
// limit V8 collects garbage again and again, which costs CPU and wall time: on a busy machine a
// bomb under the default 2 s CPU / 5 s wall limits sometimes reached time first, and these tests
// failed. So each test asserts what the runner promises: a bomb that can only reach the memory
// limit (its runner allows a minute of CPU, which filling 32 MB never takes) ends memory-limit;
// a bomb under a CPU limit it may reach first ends with whichever limit it actually reached.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner({ limits: { cpuMs: 60_000, wallMs: 90_000 } });
afterAll(() => runner.close());

const bombs: Record<string, string> = {
  "array growth": `const keep = []; for (;;) keep.push(new Array(100_000).fill(1.5));`,
  "string growth": `const keep = []; let s = "x"; for (let i = 0; ; i++) { s = s + i; keep.push(s + "!"); }`,
  "typed array growth": `const keep = []; for (;;) keep.push(new Uint8Array(1 << 20));`,
  "Map growth": `const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });`,
  "Set growth": `const s = new Set(); for (let i = 0; ; i++) s.add({ i });`,
  "object growth": `const o = {}; for (let i = 0; ; i++) o["k" + i] = i;`,
};

describe("memory bombs", () => {
  for (const [name, code] of Object.entries(bombs)) {
    it(`reports ${name} as memory-limit, and the next run succeeds`, async () => {
      const result = await run(runner, code, { limits: { memoryMb: 32 } });
      expect(result.outcome).toBe("memory-limit");
      expect(result.message).toContain("32 MB");
      await expectHealthy(runner);
    }, 120_000);
  }
});

describe("memory and time limits both near", () => {
  for (const name of ["array growth", "Map growth"]) {
    it(`ends ${name} under a short CPU limit with the limit it actually reached`, async () => {
      const limits = { memoryMb: 32, cpuMs: 150, wallMs: 60_000 };
      const result = await run(runner, bombs[name]!, { limits });
      expect(["memory-limit", "time-limit"]).toContain(result.outcome);
      if (result.outcome === "time-limit") {
        expect(result.message).toContain(`${limits.cpuMs} ms of CPU`);
        expect(result.cpuMs).toBeGreaterThanOrEqual(limits.cpuMs);
      } else {
        expect(result.message).toContain("32 MB");
      }
      await expectHealthy(runner);
    }, 120_000);
  }
});

describe("memory outside the heap limit's view", () => {
  // V8 reserves a resizable ArrayBuffer's pages itself, past the allocator that enforces the
  // limit: this program used to fill 256 MB under a 32 MB limit and finish "ok".
  it("refuses resizable ArrayBuffers, by any route to the constructor", async () => {
    const result = await run(
      runner,
      `const routes = [
         () => new ArrayBuffer(2 ** 28, { maxByteLength: 2 ** 28 }),
         () => new (new Uint8Array(1).buffer.constructor)(1, { maxByteLength: 2 ** 31 }),
         () => Reflect.construct(Object.getPrototypeOf(new ArrayBuffer(1)).constructor, [1, { maxByteLength: 9 }]),
         () => new (class extends ArrayBuffer { constructor() { super(1, { maxByteLength: 2 ** 30 }); } })(),
       ];
       for (const route of routes) {
         try { const b = route(); b.resize?.(2 ** 28); new Uint8Array(b).fill(7); console.log("allocated", b.byteLength); }
         catch (e) { console.log(e.name); }
       }
       class Mine extends ArrayBuffer {}
       console.log(new Mine(4).byteLength, new ArrayBuffer(8).slice(2).byteLength, ArrayBuffer.isView(new Uint8Array(1)));`,
      { limits: { memoryMb: 32 } },
    );
    expect(result.outcome).toBe("ok");
    expect(result.output.map((line) => line.text)).toEqual([
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      "4 6 true",
    ]);
    await expectHealthy(runner);
  });
});
