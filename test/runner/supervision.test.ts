// The pool's last lines of defence, against a network (a fake: see fake-network.ts) that hangs,
// fails, or takes its worker down. The API process never dies and the pool heals.
import { afterAll, describe, expect, it } from "vitest";
import type { TopologySpec } from "../../src/netsim/types.ts";
import { lines, run, startRunner, type TestRunner } from "./helpers.ts";

const runner = startRunner({
  networkModule: new URL("./fake-network.ts", import.meta.url).href,
  killGraceMs: 300,
});
afterAll(() => runner.close());

function topology(mode: string): TopologySpec {
  return { hosts: [], links: [], records: [], peers: [], learnerHost: mode };
}

const EXCHANGE = `import { UdpSocket, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("hi", "10.9.9.1:7");
console.log(decodeText(socket.recvFrom()[0]));`;

async function expectFine(pool: TestRunner): Promise<void> {
  const result = await run(pool, EXCHANGE, { topology: topology("fine") });
  expect(result.outcome).toBe("ok");
  expect(lines(result)).toEqual(["ok"]);
}

describe("supervision", () => {
  it("kills a worker stuck in a host call past the wall limit, and replaces it", async () => {
    const before = runner.stats().restarts;
    const result = await run(runner, EXCHANGE, {
      topology: topology("hang"),
      limits: { wallMs: 500 },
    });
    expect(result.outcome).toBe("time-limit");
    expect(result.learner.host).toBe("hang");
    expect(runner.stats().restarts).toBe(before + 1);
    await expectFine(runner);
  });

  it("reports a worker that dies mid-run as memory-limit, and replaces it", async () => {
    const before = runner.stats().restarts;
    const result = await run(runner, EXCHANGE, { topology: topology("crash") });
    expect(result.outcome).toBe("memory-limit");
    expect(runner.stats().restarts).toBe(before + 1);
    await expectFine(runner);
  });

  it("reports a failure in the network as internal-error without leaking its message", async () => {
    const result = await run(runner, EXCHANGE, { topology: topology("buggy") });
    expect(result.outcome).toBe("internal-error");
    expect(JSON.stringify(result)).not.toContain("/work");
    await expectFine(runner);
  });
});
