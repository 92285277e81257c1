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
});
