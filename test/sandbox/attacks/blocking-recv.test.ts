// Attack class (or honest mistake): waiting for a datagram that can never come.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("blocking forever in recvFrom", () => {
  it("ends the run with time-limit, naming the socket that waited", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:4000");
       socket.recvFrom();
       console.log("never printed");`,
    );
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toContain("recvFrom() waited forever");
    expect(result.message).toContain(":4000");
    expect(lines(result)).toEqual([]);
    await expectHealthy(runner);
  });

  it("ends the same way after sending to a port nobody listens on", async () => {
    const result = await run(
      runner,
      `import { UdpSocket } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       socket.sendTo("anyone?", "10.0.0.7:9");
       await socket.recvFromAsync();`,
    );
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toContain("waited forever");
    await expectHealthy(runner);
  });

  it("gives up with WouldBlock in virtual time when a read timeout is set", async () => {
    const result = await run(
      runner,
      `import { UdpSocket, IoError } from "net";
       const socket = UdpSocket.bind("0.0.0.0:0");
       socket.setReadTimeout(250);
       for (let i = 0; i < 3; i++) {
         try { socket.recvFrom(); } catch (e) { console.log(e instanceof IoError && e.kind); }
       }`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["WouldBlock", "WouldBlock", "WouldBlock"]);
    expect(result.virtualTimeUs).toBeGreaterThanOrEqual(750_000);
    await expectHealthy(runner);
  });
});
