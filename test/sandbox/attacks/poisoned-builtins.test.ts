// Attack class: built-ins replaced before calling the API. The API's checks and copies use
// primordials captured before learner code ran, so the bytes on the wire stay the true ones and
// the size checks cannot be talked down.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const POISON = `
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
Object.defineProperty(TypedArray, "length", { get() { return 3; } });
Object.defineProperty(TypedArray, "byteLength", { get() { return 3; } });
Uint8Array.prototype.set = function () { throw new Error("poisoned set"); };
Uint8Array.prototype.subarray = function () { return new Uint8Array(0); };
Array.prototype.push = function () { throw new Error("poisoned push"); };
Array.prototype[Symbol.iterator] = function* () { yield "poisoned"; };
Object.defineProperty(Array.prototype, "0", { set() { throw new Error("poisoned index"); }, configurable: true });
Object.defineProperty(Object.prototype, "ttl", { set() { throw new Error("poisoned ttl"); }, configurable: true });
Function.prototype.call = function () { throw new Error("poisoned call"); };
Function.prototype.apply = function () { throw new Error("poisoned apply"); };
Reflect.apply = function () { throw new Error("poisoned Reflect.apply"); };
JSON.stringify = () => "poisoned";
String.prototype.charCodeAt = () => 0;
String.prototype.slice = () => "";
Promise.prototype.then = function () { throw new Error("poisoned then"); };
Symbol.iterator;
`;

describe("poisoned built-ins", () => {
  it("still sends the true bytes to the true address", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const hello = new Uint8Array([104, 101, 108, 108, 111, 33]);
       ${POISON}
       socket.sendTo(hello, "10.0.0.7:1000");
       socket.sendTo("text too", "10.0.0.7:1000");`,
    );
    expect(result.outcome).toBe("ok");
    const inbox = JSON.stringify(result.peers);
    expect(inbox).toContain("hello!");
    expect(inbox).toContain("text too");
    await expectHealthy(runner);
  });

  it("cannot shrink an oversized payload past the size check", async () => {
    const result = await run(
      runner,
      `import { UdpSocket, IoError } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       const big = new Uint8Array(100_000);
       ${POISON}
       try { socket.sendTo(big, "10.0.0.7:1000"); console.log("sent"); }
       catch (e) { console.log(e instanceof IoError ? e.kind : "other " + e); }`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["InvalidInput"]);
    expect(result.packets).toHaveLength(0);
    await expectHealthy(runner);
  });

  it("still prints through console.log, and the host never sees a look-alike object", async () => {
    const result = await run(
      runner,
      `import { UdpSocket, sendPacket } from "net";
       ${POISON}
       console.log("still", { printing: [1, 2] }, new Uint8Array([1, 2]));
       const fake = new Proxy(new Uint8Array(10), {});
       try { sendPacket(fake); } catch (e) { console.log(e.name); }
       try { sendPacket({ length: 20, 0: 69 }); } catch (e) { console.log(e.name); }`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)[0]).toMatch(/^still/);
    expect(lines(result).slice(1)).toEqual(["TypeError", "TypeError"]);
    expect(result.packets).toHaveLength(0);
    await expectHealthy(runner);
  });
});
