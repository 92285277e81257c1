import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";

async function program(name: string, code: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "packetlab-run-"));
  const file = join(dir, name);
  await writeFile(file, code);
  return file;
}

const HELLO = `import { UdpSocket, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("hello", "10.0.0.7:1000");
console.log(decodeText(socket.recvFrom()[0]));`;

describe("packetlab run", () => {
  it("prints the output, the packets and the outcome", async () => {
    const io = captureIo();
    const status = await main(["run", await program("hello.js", HELLO)], io);
    expect(status).toBe(0);
    expect(io.stdout).toContain("I got your message: hello");
    expect(io.stdout).toMatch(/packets \(2\):/);
    expect(io.stdout).toContain("10.0.0.2:");
    expect(io.stdout).toContain("ok: Your program finished.");
  });

  it("prints the RunResult as JSON and exits 1 when the program fails", async () => {
    const io = captureIo();
    const file = await program(
      "broken.ts",
      "const x: number = 1;\nthrow new Error('nope ' + x);\n",
    );
    const status = await main(["run", file, "--json", "--seed", "7"], io);
    expect(status).toBe(1);
    const result = JSON.parse(io.stdout) as { outcome: string; error: { line: number } };
    expect(result.outcome).toBe("runtime-error");
    expect(result.error.line).toBe(2);
  });

  it("explains bad usage with exit status 2", async () => {
    const io = captureIo();
    expect(await main(["run"], io)).toBe(2);
    expect(io.stderr).toContain("FILE is missing");
    const lonely = captureIo();
    expect(await main(["run", "x.js", "--lesson", "exchanging-messages"], lonely)).toBe(2);
    expect(lonely.stderr).toContain("--lesson and --exercise go together");
  });
});
