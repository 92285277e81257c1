// An exercise lists the languages this server runs it in: Rust only where the exercise has a
// Rust starter and the server a Rust compiler (buildApp's `languages`, which server.ts sets from
// RUST_ENABLED and the toolchain). The starters themselves are listed either way; a submission
// in a language the server does not run is refused (bad-input.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exerciseLanguages } from "../../src/http/lessons.ts";
import { LANGUAGES } from "../../src/http/submitter.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const grader = { gradeSubmission: () => Promise.reject(new Error("not used")) };
interface Exercise {
  id: string;
  languages: string[];
  starterCodeByLanguage: Record<string, string | undefined>;
}

let withRust: TestApp;
let withoutRust: TestApp;
beforeAll(async () => {
  withRust = await startTestApp({ grader, languages: LANGUAGES });
  withoutRust = await startTestApp({ grader });
});
afterAll(async () => {
  await withRust?.close();
  await withoutRust?.close();
});

/** Every exercise of every lesson, as the API shows it. */
async function exercises(t: TestApp): Promise<Exercise[]> {
  const all: Exercise[] = [];
  const list = await t.app.inject({ url: "/v1/lessons" });
  for (const { id } of list.json().items as { id: string }[]) {
    const res = await t.app.inject({ url: `/v1/lessons/${id}` });
    expect(res.statusCode).toBe(200);
    all.push(...res.json().exercises);
  }
  expect(all.length).toBeGreaterThan(0);
  return all;
}

describe("an exercise's languages", () => {
  it("offer Rust where the exercise has a Rust starter and the server compiles Rust", async () => {
    for (const e of await exercises(withRust)) {
      expect(e.languages, e.id).toEqual(
        e.starterCodeByLanguage.rust === undefined
          ? ["javascript", "typescript"]
          : ["javascript", "typescript", "rust"],
      );
    }
  });

  it("leave Rust out on a server without a Rust compiler, starters unchanged", async () => {
    const all = await exercises(withoutRust);
    expect(all.some((e) => e.starterCodeByLanguage.rust !== undefined)).toBe(true);
    for (const e of all) expect(e.languages, e.id).toEqual(["javascript", "typescript"]);
  });

  // Every lesson today has a Rust starter for every exercise; one without gets no Rust.
  it("leave Rust out for an exercise without a Rust starter, even where Rust runs", () => {
    const starterCodeByLanguage = { typescript: "// start here" };
    expect(exerciseLanguages({ starterCodeByLanguage }, LANGUAGES)).toEqual([
      "javascript",
      "typescript",
    ]);
    expect(
      exerciseLanguages(
        { starterCodeByLanguage: { ...starterCodeByLanguage, rust: "" } },
        LANGUAGES,
      ),
    ).toEqual(["javascript", "typescript", "rust"]);
  });
});
