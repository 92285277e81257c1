// Attack class: climbing from the provided functions and objects to the host. Everything the
// learner holds is an object of the isolate, so every climb ends at the isolate's Function.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

/** Each attempt prints "<name>: <what it reached>"; none may reach anything of the host. */
const PROGRAM = `
import * as net from "net";
import { UdpSocket, Ipv4Addr, IoError, sendPacket, dissect } from "net";
import * as fs from "fs";
const socket = UdpSocket.bind("0.0.0.0:0");
const report = (name, attempt) => {
  let value;
  try { value = attempt(); } catch (e) { value = "threw " + (e && e.name); }
  console.log(name + ": " + (typeof value === "string" ? value : typeof value));
};
report("sendTo.constructor", () => typeof socket.sendTo.constructor("return process")());
report("__proto__.constructor.constructor", () =>
  typeof socket.__proto__.constructor.constructor("return this")().require);
report("bind.constructor", () => typeof UdpSocket.bind.constructor("return globalThis.process")());
report("sendPacket.caller", () => typeof sendPacket.caller);
report("arguments.callee.caller", () => typeof (function () { return arguments.callee.caller; })());
report("host global", () => typeof globalThis.__packetlabHost);
report("api global", () => typeof globalThis.__packetlabApi);
report("settings global", () => typeof globalThis.__packetlabSettings);
report("SharedArrayBuffer", () => typeof SharedArrayBuffer);
report("Atomics", () => typeof Atomics);
report("WebAssembly", () => typeof WebAssembly);
report("performance", () => typeof globalThis.performance);
report("process", () => typeof process);
report("require", () => typeof require);
report("frozen prototype", () => String(Object.isFrozen(UdpSocket.prototype)));
report("frozen class", () => String(Object.isFrozen(Ipv4Addr)));
report("frozen namespace", () => String(Object.isFrozen(net) || Object.isSealed(net)));
report("replace a method", () => { UdpSocket.prototype.sendTo = () => 0; return "replaced"; });
report("new UdpSocket", () => new UdpSocket({}, 1, null));
report("forged socket", () => UdpSocket.prototype.sendTo.call({}, "x", "10.0.0.7:1000"));
report("forged address", () => socket.sendTo("x", Object.create(net.SocketAddrV4.prototype)));
report("IoError prototype", () => { IoError.prototype.kind = "x"; return "changed"; });
report("fs namespace", () => Object.keys(fs).sort().join(","));
report("stack frames", () => {
  Error.prepareStackTrace = (_e, frames) => frames.map((f) => typeof f.getFunction()).join(",");
  let seen = "";
  const evil = { get source() { seen = new Error().stack; return "10.0.0.2"; }, destination: "10.0.0.7" };
  net.ipv4Packet(evil, "x");
  Error.prepareStackTrace = undefined;
  return seen;
});
report("dissect output is plain data", () => Object.getPrototypeOf(dissect(new Uint8Array(20))) === Array.prototype ? "array" : "other");
`;

describe("prototype-chain escapes", () => {
  it("reaches nothing of the host through any provided function or object", async () => {
    const result = await run(runner, PROGRAM);
    expect(result.outcome).toBe("ok");
    const seen = Object.fromEntries(lines(result).map((line) => line.split(": ")));
    expect(seen).toMatchObject({
      // The isolate's own Function: `process` does not exist there.
      "sendTo.constructor": "threw ReferenceError",
      "__proto__.constructor.constructor": "undefined",
      "bind.constructor": "undefined",
      "sendPacket.caller": "threw TypeError",
      "arguments.callee.caller": "threw TypeError",
      "host global": "undefined",
      "api global": "undefined",
      "settings global": "undefined",
      SharedArrayBuffer: "undefined",
      Atomics: "undefined",
      WebAssembly: "undefined",
      performance: "undefined",
      process: "undefined",
      require: "undefined",
      "frozen prototype": "true",
      "frozen class": "true",
      "frozen namespace": "true",
      "replace a method": "threw TypeError",
      "new UdpSocket": "threw TypeError",
      "forged socket": "threw TypeError",
      "forged address": "threw TypeError",
      "IoError prototype": "threw TypeError",
      "fs namespace": "listFiles,readFile",
      "dissect output is plain data": "array",
    });
    // Strict-mode sandbox frames hide their functions from CallSite.getFunction().
    expect(seen["stack frames"]).not.toMatch(/function/);
    await expectHealthy(runner);
  });

  it("leaves no global of the runner's to a program, whichever modules it imports", async () => {
    // The facades read the API global as they are evaluated, the end module deletes it; both
    // before the program's first line (src/runner/end-module.ts).
    const globals = `console.log(Object.getOwnPropertyNames(globalThis).filter((name) => name.startsWith("__packetlab")).join(",") || "none");`;
    for (const imports of [
      "",
      'import { readFile } from "fs";',
      'import * as net from "net";\nimport { listFiles } from "fs";',
      'export * from "net";',
      'export { UdpSocket } from "net";',
    ]) {
      const result = await run(runner, `${imports}\n${globals}`);
      expect(result.outcome, imports).toBe("ok");
      expect(lines(result), imports).toEqual(["none"]);
    }
    await expectHealthy(runner);
  });
});
