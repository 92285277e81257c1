// Attack class: a program that stops at an await nothing can ever resolve. There are no timers
// and no I/O callbacks in the sandbox, so once the evaluation returns nothing can continue it:
// the code after the await never runs. It used to be graded "ok" (and "ran to its end" passed).
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

/** Each program, and the line it is left waiting at (the top-level await or call). */
const programs: Record<string, [string, number]> = {
  "a top-level await of a promise that never settles": [
    `console.log("before");\nawait new Promise(() => {});\nconsole.log("after");`,
    2,
  ],
  "a top-level await of a thenable that never calls back": [
    `console.log("before");\nawait { then() {} };\nconsole.log("after");`,
    2,
  ],
  "an async main whose last promise never settles": [
    `async function main() {\n  console.log("before");\n  await new Promise(() => {});\n  console.log("after");\n}\nawait main();`,
    6,
  ],
  "an async main, called without await, whose last promise never settles": [
    `async function main() {\n  console.log("before");\n  await new Promise(() => {});\n  console.log("after");\n}\nmain();`,
    6,
  ],
  "an async main called in a branch, whose last promise never settles": [
    `async function main() {\n  console.log("before");\n  await new Promise(() => {});\n  console.log("after");\n}\nif (true) {\n  main();\n}`,
    7,
  ],
  "a chain of awaits ending in one that never settles": [
    `const never = new Promise(() => {});\nconst later = never.then(() => 1);\nconsole.log("before");\nconst x = 1 + (await later);\nconsole.log("after", x);`,
    4,
  ],
};

describe("programs that wait for something that never happens", () => {
  for (const [name, [code, line]] of Object.entries(programs)) {
    it(`ends ${name} as time-limit at its line, not ok`, async () => {
      const result = await run(runner, code);
      expect(result.outcome).toBe("time-limit");
      expect(result.message).toContain(`waits for something that never happens (line ${line})`);
      expect(lines(result)).toEqual(["before"]);
      await expectHealthy(runner);
    });
  }

  it("still finishes a program whose top-level awaits all settle", async () => {
    const result = await run(
      runner,
      `await null;\nconst value = await new Promise((resolve) => resolve(7));\nconsole.log(value);`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["7"]);
  });

  it("names the learner's line in TypeScript too", async () => {
    const result = await run(
      runner,
      `type Never = Promise<void>;\nconst wait: Never = new Promise(() => {});\nconsole.log("before");\nawait wait;`,
      { language: "typescript" },
    );
    expect(result.outcome).toBe("time-limit");
    expect(result.message).toContain("(line 4)");
  });

  it("still finishes an async main called without await once it returns", async () => {
    const result = await run(
      runner,
      `async function main() {\n  await null;\n  console.log("in main");\n}\nmain();\nconsole.log("after the call");`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["after the call", "in main"]);
  });
});
