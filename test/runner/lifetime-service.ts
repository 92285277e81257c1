// A stand-in for the service, for lifetime.test.ts: starts a runner, optionally wedges one
// worker in a host call that never returns, prints "ready", then waits to be killed.
// argv: "idle" | "stuck" | "crash" (stuck, then an uncaught exception once ready).
import { createRunner } from "../../src/runner/index.ts";

const mode = process.argv[2] ?? "idle";
const runner = createRunner({
  workers: 2,
  networkModule: new URL("./fake-network.ts", import.meta.url).href,
  killGraceMs: 600_000,
});
const EXCHANGE = `import { UdpSocket } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("hi", "10.9.9.1:7");
socket.recvFrom();`;
const topology = (learnerHost: string) => ({
  hosts: [],
  links: [],
  records: [],
  peers: [],
  learnerHost,
});

// Both workers answer a run first, so both are up before "ready".
await Promise.all(
  [1, 2].map(() =>
    runner.run({ code: EXCHANGE, language: "javascript", topology: topology("fine"), seed: 1 }),
  ),
);
if (mode === "stuck" || mode === "crash") {
  void runner.run({ code: EXCHANGE, language: "javascript", topology: topology("hang"), seed: 1 });
  while (runner.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}
process.stdout.write("ready\n");
if (mode === "crash") {
  setTimeout(() => {
    throw new Error("the service crashed");
  }, 200);
}
setInterval(() => {}, 1_000);
