// The synchronous first attempt (execute.ts): a program that outlasts it is started again from
// scratch asynchronously, and nothing of the abandoned attempt may reach the result or the
// listener. A 1 ms cap makes every non-trivial program take that path.
import { afterAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/runner/types.ts";
import { expectHealthy, lines, run, startRunner } from "./helpers.ts";

const alwaysAbandoned = startRunner({ fastPathMs: 1 });
const alwaysAsync = startRunner({ fastPathMs: 0 });
const standard = startRunner();
afterAll(() => Promise.all([alwaysAbandoned, alwaysAsync, standard].map((r) => r.close())));

// Prints, exchanges a datagram with Alice, then spins far longer than 1 ms before printing again.
const SLOW_EXCHANGE = `import { UdpSocket, decodeText } from "net";
console.log("start");
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("ping", "10.0.0.7:1000");
console.log(decodeText(socket.recvFrom()[0]));
let x = 0;
for (let i = 0; i < 30_000_000; i++) x = (x + i) % 7;
console.log("end", x);`;

function streamed(events: RunEvent[]) {
  return {
    output: events.flatMap((e) => (e.type === "output" ? [e.line] : [])),
    packets: events.flatMap((e) => (e.type === "packet" ? [e.packet] : [])),
  };
}

describe("the synchronous fast path", () => {
  it("starts an outlasting program again without a trace of the abandoned attempt", async () => {
    const slow = await run(alwaysAbandoned, SLOW_EXCHANGE);
    const reference = await run(alwaysAsync, SLOW_EXCHANGE);
    expect(slow.outcome).toBe("ok");
    expect(lines(slow)).toEqual(lines(reference));
    expect(lines(slow)).toHaveLength(3);
    expect(slow.packets.map((p) => p.seq)).toEqual(reference.packets.map((p) => p.seq));
    expect(slow.packets.map((p) => p.hex)).toEqual(reference.packets.map((p) => p.hex));
    // The listener saw exactly what the result carries: no event of the first attempt.
    expect(streamed(slow.events)).toEqual({ output: slow.output, packets: slow.packets });
  });

  it("gives a quick program the same result with or without the fast path", async () => {
    const program = `import { UdpSocket, decodeText } from "net";
      const socket = UdpSocket.bind("0.0.0.0:0");
      socket.sendTo("ping", "10.0.0.7:1000");
      console.log(decodeText(socket.recvFrom()[0]), Date.now());`;
    const fast = await run(standard, program);
    const slow = await run(alwaysAsync, program);
    expect(fast.outcome).toBe("ok");
    const comparable = (r: typeof fast) => ({
      output: r.output,
      packets: r.packets,
      peers: r.peers,
      virtualTimeUs: r.virtualTimeUs,
    });
    expect(comparable(fast)).toEqual(comparable(slow));
    expect(streamed(fast.events)).toEqual({ output: fast.output, packets: fast.packets });
  });

  it("keeps the CPU limit when it is below the fast path's cap", async () => {
    const result = await run(standard, `for (;;) {}`, { limits: { cpuMs: 20 } });
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toMatch(/CPU time/);
    await expectHealthy(standard);
  });

  it("reports an error thrown in a later microtask of a quick program", async () => {
    const result = await run(standard, `Promise.resolve().then(() => {\n  null.boom;\n});`);
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ name: "TypeError", line: 2 });
    await expectHealthy(standard);
  });

  it("ends the run when a host call stops it during the fast attempt, even inside a try", async () => {
    const result = await run(
      standard,
      `import { UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       try { socket.recvFrom(); } catch { for (;;) {} }`,
    );
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toContain("waited forever");
    await expectHealthy(standard);
  });
});
