// Shared by the runner and sandbox tests: a real worker pool on the real simulated network.
import { defaultTopology } from "../../src/netsim/index.ts";
import { createRunner, type RunnerConfig } from "../../src/runner/index.ts";
import type { RunEvent, RunRequest, RunResult } from "../../src/runner/types.ts";

export type TestRunner = ReturnType<typeof createRunner>;

export function startRunner(config: RunnerConfig = {}): TestRunner {
  return createRunner({ workers: 1, ...config });
}

export function request(code: string, extra: Partial<RunRequest> = {}): RunRequest {
  return { code, language: "javascript", topology: defaultTopology(), seed: 1, ...extra };
}

export async function run(
  runner: TestRunner,
  code: string,
  extra: Partial<RunRequest> = {},
): Promise<RunResult & { events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const result = await runner.run(request(code, extra), { onEvent: (e) => events.push(e) });
  return { ...result, events };
}

/** The program's stdout and stderr lines, in order. */
export function lines(result: RunResult): string[] {
  return result.output.map((line) => line.text);
}

/** A short program that must succeed: used after each attack to prove the pool still works. */
export const HEALTHY_PROGRAM = `
import { UdpSocket, decodeText } from "net";
const socket = UdpSocket.bind("0.0.0.0:0");
socket.sendTo("ping", "10.0.0.7:1000");
const [reply] = socket.recvFrom();
console.log(decodeText(reply));
`;

export async function expectHealthy(runner: TestRunner): Promise<RunResult> {
  const result = await run(runner, HEALTHY_PROGRAM);
  if (result.outcome !== "ok" || result.output.length !== 1) {
    throw new Error(`the next run failed: ${result.outcome}: ${result.message}`);
  }
  return result;
}
