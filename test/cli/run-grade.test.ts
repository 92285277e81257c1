// `packetlab run FILE --lesson L --exercise E` grades offline exactly as the service does: the
// same checks, messages and score for the same seed, a table (coloured only on a terminal), and
// an exit status a script can test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";
import { classroom, expectStatus, startTestApp, submit, type TestApp } from "../helpers/app.ts";

const exercise = "lessons/exchanging-messages/05-message-to-alice";
const grade = ["--lesson", "exchanging-messages", "--exercise", "message-to-alice"];
const root = new URL("../../", import.meta.url).pathname;

let t: TestApp;
beforeAll(async () => {
  process.chdir(root);
  t = await startTestApp();
});
afterAll(async () => t.close());

describe("packetlab run --lesson --exercise", () => {
  it("fails a wrong program with the service's grade for the same seed, and exits 1", async () => {
    const { learner } = await classroom(t.app, "Ada");
    const wrong = await import("node:fs").then((fs) =>
      fs.readFileSync(`${exercise}/wrong/wrong-port.js`, "utf8"),
    );
    const served = expectStatus(
      await submit(t.app, learner.token, learner.session.id, {
        code: wrong,
        language: "javascript",
      }),
      201,
    );
    const io = captureIo();
    const status = await main(
      [
        "run",
        `${exercise}/wrong/wrong-port.js`,
        ...grade,
        "--seed",
        String(learner.session.seed),
        "--json",
      ],
      io,
    );
    expect(status).toBe(1);
    const offline = JSON.parse(io.stdout);
    expect(offline.grade).toEqual(served.grade);
    expect(offline.run.limits).toMatchObject({ cpuMs: 1000, memoryMb: 64, maxPackets: 1000 });
  });

  it("prints the checks as a table without colours in a pipe, with them on a terminal", async () => {
    const plain = captureIo();
    expect(await main(["run", `${exercise}/wrong/wrong-port.js`, ...grade], plain)).toBe(1);
    expect(plain.stdout).toMatch(
      /FAIL\s+A datagram reached Alice's address on port 1000\s+Alice listens on port 1000; you sent to 100\./,
    );
    expect(plain.stdout).toContain("hint: Send to her address and port 1000.");
    expect(plain.stdout).toContain("FAILED exchanging-messages/message-to-alice: score 38/100");
    expect(plain.stdout).not.toContain("\x1b[");

    const io = Object.assign(captureIo(), { colour: true });
    expect(await main(["run", `${exercise}/solution.ts`, ...grade], io)).toBe(0);
    expect(io.stdout).toContain("\x1b[32mok\x1b[0m");
    expect(io.stdout).toContain("PASSED");
    expect(io.stdout).toContain("score 100/100, 4 of 4 required checks passed");
  });

  it("names an unknown exercise and exits 2", async () => {
    const io = captureIo();
    expect(
      await main(
        ["run", `${exercise}/solution.ts`, "--lesson", "exchanging-messages", "--exercise", "nope"],
        io,
      ),
    ).toBe(2);
    expect(io.stderr).toContain('no exercise "nope" in lesson "exchanging-messages"');
  });
});

describe("packetlab run --lesson --exercise --no-grade", () => {
  const run = async (args: string[]) => {
    const io = captureIo();
    const status = await main(["run", ...args], io);
    return { status, io };
  };

  it("runs on the exercise's network for the seed, as the graded run does, and does not grade", async () => {
    const seed = ["--seed", "5", "--json"];
    const graded = await run([`${exercise}/solution.ts`, ...grade, ...seed]);
    const ungraded = await run([`${exercise}/solution.ts`, ...grade, "--no-grade", ...seed]);
    expect(graded.status).toBe(0);
    expect(ungraded.status).toBe(0);
    const result = JSON.parse(ungraded.io.stdout);
    expect(result.grade).toBeUndefined();
    expect(result.outcome).toBe("ok");
    expect(result.packets).toEqual(JSON.parse(graded.io.stdout).run.packets);
  });

  it("gives the program the exercise's files", async () => {
    const { status, io } = await run([
      "lessons/fragmentation/01-let-ip-fragment/solution.js",
      "--lesson",
      "fragmentation",
      "--exercise",
      "let-ip-fragment",
      "--no-grade",
    ]);
    expect(io.stdout).toMatch(/^ok: /m);
    expect(status).toBe(0);
  });

  it("is not the fixed network a plain run gets, where the lesson's names are unknown", async () => {
    const { status, io } = await run([`${exercise}/solution.ts`]);
    expect(status).toBe(1);
    expect(io.stdout).toContain("the name server does not know alice.packetlab.test");
  });

  it("goes with --lesson and --exercise only", async () => {
    const { status, io } = await run([`${exercise}/solution.ts`, "--no-grade"]);
    expect(status).toBe(2);
    expect(io.stderr).toContain("--no-grade goes with --lesson and --exercise");
  });
});
