// Attack class (and honest accidents): odd source text. Byte order marks, `#!` lines, huge
// generated programs, syntax errors in templates and regexes: each ends as the learner's own
// outcome with a position in the learner's own text, and the next run succeeds.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("odd source text", () => {
  // The pair used to be a compile error ("Invalid or unexpected token", `Syntax error "!"`).
  it("runs a program that starts with a byte order mark and a #! line", async () => {
    for (const [language, code] of [
      ["javascript", "\uFEFF#!/usr/bin/env node\nconsole.log(1);\nnull.boom;"],
      [
        "typescript",
        "\uFEFF#!/usr/bin/env node\nconst one: number = 1;\nconsole.log(one);\n(null as any).boom;",
      ],
    ] as const) {
      const result = await run(runner, code, { language });
      expect(result.outcome).toBe("runtime-error");
      expect(lines(result)).toEqual(["1"]);
      expect(result.error?.line).toBe(language === "javascript" ? 3 : 4);
    }
    await expectHealthy(runner);
  });

  it("positions syntax errors inside template literals and regular expressions", async () => {
    const cases = [
      ["javascript", "const a = 1;\nconst t = `${ 1 + }`;", 2],
      ["typescript", "const a: number = 1;\nconst t = `${ a + }`;", 2],
      ["javascript", "const a = 1;\nconst r = /(/;", 2],
      ["typescript", "const a: number = 1;\nconst r = /(/;", 2],
    ] as const;
    for (const [language, code, line] of cases) {
      const result = await run(runner, code, { language });
      expect(result.outcome).toBe("compile-error");
      expect(result.error?.line).toBe(line);
    }
    await expectHealthy(runner);
  });

  it("runs a huge generated TypeScript program and maps an error on a 3 MB line", async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `const v${i}: number = ${i};`);
    const big = await run(runner, `${many.join("\n")}\nconsole.log(v19999);`, {
      language: "typescript",
    });
    expect(big.outcome).toBe("ok");
    expect(lines(big)).toEqual(["19999"]);
    const long = await run(
      runner,
      `const x: string = "${"a".repeat(3_000_000)}"; console.log(x.length); (null as any).y;`,
      { language: "typescript" },
    );
    expect(long.outcome).toBe("runtime-error");
    expect(long.error?.line).toBe(1);
    await expectHealthy(runner);
  });

  // A million brackets overflowed esbuild's Go stack and killed its service for good: that run
  // and every later TypeScript program esbuild saw on the worker ended internal-error. Now the
  // program is the compile error V8 gives the same JavaScript, and the next one is served.
  it("ends a program nested too deep for the parsers as a compile error, in either language", async () => {
    const nested = "(".repeat(1_000_000) + "1" + ")".repeat(1_000_000);
    for (const [language, code] of [
      ["typescript", `const x: number = ${nested};\nconsole.log(x);`],
      ["javascript", `const x = ${nested};\nconsole.log(x);`],
    ] as const) {
      const result = await run(runner, code, { language });
      expect(result.outcome).toBe("compile-error");
      expect(result.error).toMatchObject({ message: "Maximum call stack size exceeded" });
    }
    // esbuild, started again, still explains the next syntax error.
    const next = await run(runner, "let b: = 2;\n", { language: "typescript" });
    expect(next.error).toMatchObject({ message: 'Unexpected "="', line: 1, column: 8 });
    // Nested as deep as the default MAX_CODE_BYTES allows, it runs: deeper than sucrase's parser
    // goes, so esbuild strips its types.
    const allowed = await run(
      runner,
      `const x: number = ${"(".repeat(30_000)}1${")".repeat(30_000)};\nconsole.log(x);`,
      { language: "typescript" },
    );
    expect(allowed.outcome).toBe("ok");
    expect(lines(allowed)).toEqual(["1"]);
    await expectHealthy(runner);
  });

  it("keeps the learner's position when the program replaces Error before throwing", async () => {
    const result = await run(
      runner,
      `const Original: any = Error;\n(globalThis as any).Error = function () { return { stack: "at /work/x.ts:1:1" }; };\nthrow new Original("m");`,
      { language: "typescript" },
    );
    expect(result.outcome).toBe("runtime-error");
    expect(result.error).toMatchObject({ message: "m", line: 3 });
    expect(JSON.stringify(result)).not.toContain("/work");
    await expectHealthy(runner);
  });
});
