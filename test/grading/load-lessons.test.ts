import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  formatProblem,
  inspectLessons,
  loadLessons,
  LessonLoadError,
} from "../../src/grading/index.ts";
import { checksHash } from "../../src/grading/loader/version.ts";
import { main } from "../../src/cli.ts";
import { captureIo } from "../helpers/cli-io.ts";

const temporary: string[] = [];
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

describe("loading lessons", () => {
  it("loads the real lessons with their exercises, checks and wrong answers", async () => {
    const catalogue = await loadLessons("lessons");
    const [first] = catalogue.list();
    expect(first).toMatchObject({ id: "exchanging-messages", order: 1 });
    expect(first!.version).toMatch(/^1\.0\.0\+[0-9a-f]{10}$/);
    const detail = catalogue.get("exchanging-messages")!;
    expect(detail.exercises.map((e) => e.id)).toEqual([
      "look-up-a-name",
      "build-an-ipv4-header",
      "build-a-udp-datagram",
      "sockets",
      "message-to-alice",
    ]);
    for (const exercise of detail.exercises) {
      expect(exercise.checks[0]!.id).toBe("program-finished");
      expect(exercise.starterCode.length).toBeGreaterThan(0);
    }
    expect(catalogue.list().map((l) => l.id)).toEqual([
      "exchanging-messages",
      "fragmentation",
      "reliable-conversation",
    ]);
    for (const lesson of catalogue.lessons()) {
      for (const exercise of lesson.exercises) {
        expect(exercise.wrongAnswers.length, exercise.dir).toBeGreaterThanOrEqual(3);
      }
    }
    expect(catalogue.instantiate("exchanging-messages", "nope", 1)).toBeUndefined();
    expect(catalogue.instantiate("nope", "sockets", 1)).toBeUndefined();
  });

  it("never tells the learner Alice's address in the view", async () => {
    const catalogue = await loadLessons("lessons");
    const { view, topology } = catalogue.instantiate("exchanging-messages", "message-to-alice", 5)!;
    const alice = topology.hosts.find((h) => h.name === "alice")!.address;
    expect(JSON.stringify(view)).not.toContain(alice);
    expect(view.nameServer).toEqual({ address: "10.0.0.53", port: 53 });
  });

  it("names the file and field of each mistake", async () => {
    const { problems } = await inspectLessons("test/fixtures/lessons/broken");
    const lines = problems.map(formatProblem);
    const manifest = "test/fixtures/lessons/broken/bad-manifest/lesson.json";
    expect(lines).toContain(
      `${manifest}: id: must be kebab-case letters and digits, at most 64 (got "Bad Manifest")`,
    );
    expect(lines).toContain(`${manifest}: title: must be non-empty text (got nothing)`);
    expect(lines).toContain(`${manifest}: version: must be a version like "1.0.0" (got "1.0")`);
    const exercise = "test/fixtures/lessons/broken/bad-checks/01-only";
    expect(lines).toContain(`${exercise}/checks.ts: checks[0].weight: must be a positive number`);
    expect(lines).toContain(
      `${exercise}/wrong/no-header.js: expect-fail: needs a "// expect-fail: <check-id>" line`,
    );
    await expect(loadLessons("test/fixtures/lessons/broken")).rejects.toBeInstanceOf(
      LessonLoadError,
    );
  });

  it("changes the version when a check changes, even if the semver does not", async () => {
    const dir = await mkdtemp(join(tmpdir(), "packetlab-lessons-"));
    temporary.push(dir);
    await cp("lessons", dir, { recursive: true });
    const before = (await loadLessons("lessons")).list()[0]!.version;
    const checks = join(dir, "exchanging-messages/05-message-to-alice/checks.ts");
    const original = await readFile(checks, "utf8");
    await writeFile(checks, original.replace("weight: 3", "weight: 4"));
    const ids = [
      "look-up-a-name",
      "build-an-ipv4-header",
      "build-a-udp-datagram",
      "sockets",
      "message-to-alice",
    ];
    const changed = await checksHash(join(dir, "exchanging-messages"), ids);
    const same = await checksHash("lessons/exchanging-messages", ids);
    expect(before).toBe(`1.0.0+${same}`);
    expect(changed).not.toBe(same);
  });
});

describe("packetlab lessons check", () => {
  it("passes on the real lessons", async () => {
    const io = captureIo();
    const code = await main(["lessons", "check", "lessons", "--seeds", "3"], io);
    expect(io.stdout).toMatch(/all good/);
    expect(code).toBe(0);
    // 13 exercises × 3 seeds, Rust ones compiled: a bound on a hang, not a speed test (it took
    // over 120 s at load average 22 on 2 cores).
  }, 600_000);

  it("refuses a --jobs that is not a whole number from 1 to 64, before running anything", async () => {
    for (const jobs of ["0", "65", "two", "1.5"]) {
      const io = captureIo();
      const code = await main(["lessons", "check", "lessons", "--jobs", jobs], io);
      expect(code).toBe(2);
      expect(io.stderr).toContain(`--jobs needs a whole number from 1 to 64 (got "${jobs}")`);
      expect(io.stdout).not.toMatch(/run\(s\)/);
    }
  });

  it("prints one line per problem with file and field, and exits 1", async () => {
    const io = captureIo();
    const code = await main(
      ["lessons", "check", "test/fixtures/lessons/broken", "--format-only"],
      io,
    );
    expect(code).toBe(1);
    expect(io.stdout).toContain("bad-manifest/lesson.json: version:");
    expect(io.stdout).toContain("01-only/checks.ts: checks[0].weight:");
  });

  it("reports a reference solution that fails and a starter that passes", async () => {
    const io = captureIo();
    const code = await main(
      ["lessons", "check", "test/fixtures/lessons/failing", "--seeds", "1"],
      io,
    );
    expect(code).toBe(1);
    const dir = "test/fixtures/lessons/failing/tiny/01-say-hello";
    expect(io.stdout).toContain(
      `${dir}/solution.js: check "said-hello" (seed 1): the reference solution fails: You did not print hello.`,
    );
    expect(io.stdout).toContain(`${dir}/starter.js: seed 1: the starter code passes the exercise`);
  }, 60_000);
});
