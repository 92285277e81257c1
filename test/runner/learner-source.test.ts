// Transpiled TypeScript is kept by its text: a program sent again gets the same result, and a
// program never gets another's, whether it compiled or not.
import { describe, expect, it } from "vitest";
import { prepareSource } from "../../src/runner/learner-source.ts";

describe("prepareSource's cache of transpiled TypeScript", () => {
  it("gives each program its own result, again when it is sent again", async () => {
    const first = 'const greeting: string = "one";\nconsole.log(greeting);\n';
    const second = "const greeting: number = 2;\nconsole.log(greeting);\n";
    const broken = "const x: = 1;\n";
    const rounds = [];
    for (let i = 0; i < 2; i++) {
      rounds.push(
        await prepareSource(first, "typescript"),
        await prepareSource(second, "typescript"),
        await prepareSource(broken, "typescript"),
      );
    }
    const [a, b, c, a2, b2, c2] = rounds;
    expect(a).toMatchObject({ ok: true, source: { code: expect.stringContaining('"one"') } });
    expect(b).toMatchObject({ ok: true, source: { code: expect.stringContaining("= 2") } });
    expect(c).toMatchObject({ ok: false, error: { name: "SyntaxError", line: 1 } });
    expect([a2, b2, c2]).toEqual([a, b, c]);
    expect(a2).toBe(a);
  });

  it("strips a byte order mark before looking the text up", async () => {
    const code = "let n: number = 1;\n";
    const plain = await prepareSource(code, "typescript");
    expect(await prepareSource(`\uFEFF${code}`, "typescript")).toBe(plain);
  });

  it("strips the types line for line, and leaves a syntax error's message to esbuild", async () => {
    const code = "interface A {\n  n: number;\n}\nconst a: A = { n: 1 };\nconsole.log(a.n);\n";
    const stripped = await prepareSource(code, "typescript");
    expect(stripped.ok).toBe(true);
    if (!stripped.ok) return;
    expect(stripped.source.code.split("\n")).toHaveLength(code.split("\n").length);
    expect(stripped.source.code.split("\n")[3]).toMatch(/^const a\s*= \{ n: 1 \};$/);
    // The stripped text's "a.n" on line 5 is the learner's own.
    expect(stripped.source.map!({ line: 5, column: 13 })).toEqual({ line: 5, column: 13 });
    // Sucrase's parser refuses this; esbuild says what is wrong, as learners saw before.
    expect(await prepareSource("let b: = 2;\n", "typescript")).toEqual({
      ok: false,
      error: { name: "SyntaxError", message: 'Unexpected "="', line: 1, column: 8 },
    });
  });
});
