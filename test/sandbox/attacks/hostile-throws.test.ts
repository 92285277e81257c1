// Attack class: values thrown out of the program that fight being reported: getters that loop,
// Proxies, stack formatters that throw or lie, rejected promises whose reason does. The run must
// end with a learner outcome (runtime-error or time-limit) within its own limits, on a worker
// that survives it: reading what was thrown used to block the worker until the pool killed it,
// each such run costing a restart and seconds of capacity.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const LOOP = "for (;;) {}";

const throws: Record<string, string> = {
  "an object whose getter loops": `throw { get message() { for (;;) {} } };`,
  "a Proxy that throws on every trap": `throw new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); }, getOwnPropertyDescriptor() { throw new Error("trap"); } });`,
  "an Error whose stack formatter loops": `Error.prepareStackTrace = () => { for (;;) {} };\nthrow new Error("x");`,
  "an Error whose stack formatter lies": `Error.prepareStackTrace = () => "Error: at /work/main/src/secret.ts:1:1";\nthrow new Error("x");`,
  "a symbol": `throw Symbol("s");`,
  "an Error with a looping name getter": `const e = new Error("x"); Object.defineProperty(e, "name", { get() { for (;;) {} } }); throw e;`,
  "an Error with looping stack and message getters": `const e = new Error("x");\nObject.defineProperty(e, "stack", { get() { ${LOOP} } });\nObject.defineProperty(e, "message", { get() { ${LOOP} } });\nthrow e;`,
  "an Error subclass with a looping name getter": `class Boom extends Error { get name() { ${LOOP} } }\nthrow new Boom("x");`,
  "a Proxy whose get trap loops": `throw new Proxy(new Error("p"), { get() { ${LOOP} } });`,
  "a message whose toString loops": `const e = new Error("x"); Object.defineProperty(e, "message", { value: { toString() { ${LOOP} } } }); throw e;`,
  "a message whose Symbol.toPrimitive loops": `throw { message: { [Symbol.toPrimitive]() { ${LOOP} } } };`,
  "Error.prototype made hostile": `Object.defineProperty(Error.prototype, "message", { get() { ${LOOP} } });\nObject.defineProperty(Error.prototype, "stack", { get() { ${LOOP} } });\nnull.boom;`,
  "a rejected promise awaited at the top level": `await Promise.reject({ get message() { ${LOOP} } });`,
  "a rejected promise nobody awaits": `Promise.reject(new Proxy({}, { get() { ${LOOP} } }));\nconsole.log("done");`,
  "an async function that throws, called without await": `async function main() { const e = new Error("m"); Object.defineProperty(e, "stack", { get() { ${LOOP} } }); throw e; }\nmain();`,
  "an async function that throws, called in a branch of the top level": `for (const n of [1]) {\n  if (n) (async () => { throw { get message() { ${LOOP} } }; })();\n}`,
  "a then callback that throws a hostile value": `import { UdpSocket } from "net";\nconst s = UdpSocket.bind("0.0.0.0:0");\ns.sendToAsync("x", "10.0.0.7:1000").then(() => { throw { get message() { ${LOOP} } }; });`,
};

describe("hostile thrown values", () => {
  for (const [name, code] of Object.entries(throws)) {
    it(`reports ${name} as the learner's failure on a worker that survives it`, async () => {
      const restarts = runner.stats().restarts;
      const result = await run(runner, code, { limits: { cpuMs: 500, wallMs: 1_500 } });
      expect(["runtime-error", "time-limit"]).toContain(result.outcome);
      expect(JSON.stringify(result)).not.toMatch(/\/work|node_modules/);
      await expectHealthy(runner);
      expect(runner.stats().restarts).toBe(restarts);
    });
  }

  it("reports an ordinary error thrown from a then callback as a runtime error", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";\nconst s = UdpSocket.bind("0.0.0.0:0");\ns.sendToAsync("x", "10.0.0.7:1000").then(() => {\n  null.boom;\n});`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "TypeError", line: 4 });
  });

  it("costs another learner nothing but queueing when one learner sends ten at once", async () => {
    const pool = startRunner({ workers: 2 });
    try {
      const restarts = pool.stats().restarts;
      const attacks = Array.from({ length: 10 }, (_, i) =>
        run(pool, Object.values(throws)[i % Object.keys(throws).length]!, {
          limits: { cpuMs: 300, wallMs: 1_000 },
        }),
      );
      const victim = expectHealthy(pool);
      for (const result of await Promise.all(attacks)) {
        expect(["runtime-error", "time-limit"]).toContain(result.outcome);
      }
      expect((await victim).outcome).toBe("ok");
      expect(pool.stats().restarts).toBe(restarts);
    } finally {
      await pool.close();
    }
  });
});

describe("oversized thrown values", () => {
  it("cuts a message of millions of characters to a readable size", async () => {
    const result = await run(runner, `throw new Error("x".repeat(20_000_000));`, {
      limits: { cpuMs: 1_500, wallMs: 4_000 },
    });
    expect(result.outcome).toBe("runtime-error");
    expect(result.error?.message).toMatch(/^x+… \(\d+ more characters\)$/);
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    await expectHealthy(runner);
  });

  it("keeps the first frames of a stack that Error.stackTraceLimit = Infinity made huge", async () => {
    const result = await run(
      runner,
      `Error.stackTraceLimit = Infinity;\nfunction f(n) { if (n === 0) throw new Error("deep"); return f(n - 1) + 1; }\nf(5000);`,
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ message: "deep", line: 2 });
    const stack = result.error?.stack?.split("\n") ?? [];
    expect(stack.length).toBeLessThanOrEqual(52);
    expect(stack.at(-1)).toMatch(/^ {4}… \d+ more frames$/);
    await expectHealthy(runner);
  });
});
