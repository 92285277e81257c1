import { describe, expect, it } from "vitest";
import { defineChecks, fail, gradeRun, OUTCOME_CHECK_ID, pass } from "../../src/grading/index.ts";
import { about, sentBy } from "../../src/grading/kit/index.ts";
import type { GradeContext } from "../../src/grading/index.ts";
import type { RunResult } from "../../src/runner/types.ts";
import { simulate } from "./helpers/simulate.ts";
import { defaultTopology } from "../../src/netsim/index.ts";

const topology = defaultTopology("10.0.9.12");
const context: GradeContext = {
  seed: 7,
  topology,
  files: {},
  view: { learner: { host: "learner", address: "10.0.0.2" }, hosts: [] },
};

function printedRun(lines: string[]): RunResult {
  return simulate(topology, 7, ({ print }) => lines.forEach(print));
}

const checks = defineChecks([
  {
    id: "said-hello",
    title: "Said hello",
    weight: 3,
    required: true,
    check: ({ run }) =>
      run.output.some((l) => l.text === "hello")
        ? pass("You said hello.")
        : fail("You did not say hello.", "Print hello."),
  },
  {
    id: "said-bye",
    title: "Said bye",
    weight: 1,
    required: false,
    check: ({ run }) => (run.output.some((l) => l.text === "bye") ? pass("Bye.") : fail("No bye.")),
  },
]);

describe("gradeRun", () => {
  it("passes when every required check passes, and weighs the score", () => {
    const grade = gradeRun({ checks }, printedRun(["hello"]), context);
    expect(grade.passed).toBe(true);
    // outcome (1) + hello (3) of 1 + 3 + 1
    expect(grade.score).toBe(80);
    expect(grade.checks.map((c) => [c.id, c.passed])).toEqual([
      [OUTCOME_CHECK_ID, true],
      ["said-hello", true],
      ["said-bye", false],
    ]);
    expect(grade.checks[2]).toMatchObject({ required: false, weight: 1, message: "No bye." });
  });

  it("fails on a required check with its message and hint, bonus points still count", () => {
    const grade = gradeRun({ checks }, printedRun(["bye"]), context);
    expect(grade.passed).toBe(false);
    expect(grade.score).toBe(40);
    expect(grade.checks[1]).toMatchObject({
      id: "said-hello",
      passed: false,
      message: "You did not say hello.",
      hint: "Print hello.",
    });
  });

  it("grades a run that stopped early, with the stop as the failing reason", () => {
    const run: RunResult = {
      ...printedRun(["hello"]),
      outcome: "runtime-error",
      message: "Your program stopped with an error.",
      error: { name: "TypeError", message: "answer.foo is not a function", line: 7 },
    };
    const grade = gradeRun({ checks }, run, context);
    expect(grade.passed).toBe(false);
    expect(grade.checks[0]).toMatchObject({
      id: OUTCOME_CHECK_ID,
      passed: false,
      message: "Your program stopped with TypeError: answer.foo is not a function (line 7).",
    });
    // What it did before stopping still counts.
    expect(grade.checks[1]!.passed).toBe(true);
    expect(grade.score).toBe(60);
  });

  it("names a time limit and does not check a program that did not compile", () => {
    const base = printedRun([]);
    const timed = gradeRun(
      { checks },
      { ...base, outcome: "time-limit", message: "Your program ran for too long." },
      context,
    );
    expect(timed.checks[0]!.message).toBe("Your program ran for too long.");
    expect(timed.checks[0]!.hint).toContain("recvFrom");
    const broken = gradeRun(
      { checks },
      { ...base, outcome: "compile-error", message: "SyntaxError: Unexpected token (line 3)" },
      context,
    );
    expect(broken.score).toBe(0);
    expect(broken.checks[1]!.message).toBe("Not checked: your program did not compile.");
  });

  it("turns a check that throws into a failed check that does not blame the learner", () => {
    const throwing = defineChecks([
      {
        id: "broken",
        title: "Broken",
        weight: 1,
        required: true,
        check: () => {
          throw new Error("no host alice");
        },
      },
    ]);
    const grade = gradeRun({ checks: throwing }, printedRun([]), context);
    expect(grade.passed).toBe(false);
    expect(grade.checks[1]!.message).toContain("no host alice");
    expect(grade.checks[1]!.message).toContain("not your code");
  });

  it("keeps the packet and field a verdict is about, as far as the run has them", () => {
    const run = simulate(topology, 7, ({ host }) => {
      const socket = host.bindUdp({ address: "0.0.0.0", port: 0 });
      socket.sendTo(new TextEncoder().encode("hi"), { address: "10.0.9.12", port: 100 });
    });
    const subjects = defineChecks(
      (
        [
          ["port", "udp.destinationPort"],
          ["flag", "ipv4.flags.moreFragments"],
          ["typo", "udp.destinationPrt"],
          ["quoted-only", "icmp.type"],
        ] as const
      ).map(([id, field]) => ({
        id,
        title: id,
        weight: 1,
        required: true,
        check: ({ run: r, topology: t }) =>
          about(sentBy(r.packets, t.learnerHost)[0], field).fail("Port 100."),
      })),
    );
    const beyond = defineChecks([
      {
        id: "beyond",
        title: "beyond",
        weight: 1,
        required: true,
        check: () => about({ seq: 99 }, "udp").fail("No such packet."),
      },
      {
        id: "missing",
        title: "missing",
        weight: 1,
        required: true,
        check: () => about(undefined, "udp").fail("Nothing sent."),
      },
    ]);
    const grade = gradeRun({ checks: [...subjects, ...beyond] }, run, context);
    const first = sentBy(run.packets, topology.learnerHost)[0]!.event.seq;
    expect(Object.fromEntries(grade.checks.map((c) => [c.id, c.subject]))).toEqual({
      [OUTCOME_CHECK_ID]: undefined,
      port: { packet: first, field: "udp.destinationPort" },
      flag: { packet: first, field: "ipv4.flags.moreFragments" },
      // A field the dissection does not have: the link goes to the packet alone.
      typo: { packet: first },
      "quoted-only": { packet: first },
      beyond: undefined,
      missing: undefined,
    });
    expect(grade.checks.every((c) => !("subject" in c) || c.subject !== undefined)).toBe(true);
  });
});
