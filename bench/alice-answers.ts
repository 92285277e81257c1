// The answer mix the service bench (bench/service.ts) and the worker bench (bench/worker-run.ts)
// send: the Alice exercise, ten answers of which 4 are right TypeScript, 4 right JavaScript and
// 1 wrong of each (80/20), so that both measure the same work.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const EXERCISE_DIR = "lessons/exchanging-messages/05-message-to-alice";
/** `packetlab run` grading the Alice solution as the service does: the CLI's figure in the benches. */
export const RUN_ALICE_SOLUTION = [
  "run",
  `${EXERCISE_DIR}/solution.ts`,
  "--lesson",
  "exchanging-messages",
  "--exercise",
  "message-to-alice",
];

export function aliceAnswers(): { language: "javascript" | "typescript"; code: string }[] {
  const read = (name: string) => readFileSync(join(ROOT, EXERCISE_DIR, name), "utf8");
  const rightTs = read("solution.ts");
  const rightJs = rightTs.replace(": SocketAddrV4", "");
  const wrongJs = read("wrong/wrong-port.js");
  const wrongTs = read("wrong/never-asked.js").replace(
    'socket.sendTo("Hello Alice!"',
    'const greeting: string = "Hello Alice!";\nsocket.sendTo(greeting',
  );
  const ts = (code: string) => ({ language: "typescript" as const, code });
  const js = (code: string) => ({ language: "javascript" as const, code });
  return [
    ts(rightTs),
    js(rightJs),
    ts(rightTs),
    js(rightJs),
    ts(rightTs),
    js(wrongJs),
    js(rightJs),
    ts(rightTs),
    js(rightJs),
    ts(wrongTs),
  ];
}
