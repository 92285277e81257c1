// Attack class (and honest mistakes): imports the sandbox does not provide. Every form ends as
// the learner's compile-error or runtime-error, never internal-error, and nothing is loaded from
// the host's disk or module cache.
import { afterAll, describe, expect, it } from "vitest";
import { expectHealthy, lines, run, startRunner } from "../../runner/helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

describe("module specifiers", () => {
  const unknown = ["node:net", "net?x", "./net", "NET", "/etc/passwd", "isolated-vm"];
  for (const specifier of unknown) {
    it(`refuses import from "${specifier}" as a compile error`, async () => {
      const result = await run(
        runner,
        `import { UdpSocket } from "${specifier}";\nconsole.log(1);`,
      );
      expect(result.outcome).toBe("compile-error");
      expect(result.error?.message).toContain(`no module "${specifier}"`);
      expect(result.error?.line).toBe(1);
      await expectHealthy(runner);
    });
  }

  // Linking, not compiling, finds these: it used to escape as internal-error.
  it('reports a name that "net" does not export as a compile error at its line', async () => {
    const result = await run(
      runner,
      `// a QUIC client\nimport { UdpSocket, QuicStream } from "net";\nconsole.log(QuicStream);`,
    );
    expect(result.outcome).toBe("compile-error");
    expect(result.error).toMatchObject({ name: "SyntaxError", line: 2, column: 21 });
    expect(result.error?.message).toContain("QuicStream");
    await expectHealthy(runner);
  });

  it("reports a default import, in TypeScript too, as a compile error", async () => {
    for (const [language, code] of [
      ["javascript", `import net from "net";\nconsole.log(net);`],
      ["typescript", `const n: number = 1;\nimport net from "net";\nconsole.log(net, n);`],
    ] as const) {
      const result = await run(runner, code, { language });
      expect(result.outcome).toBe("compile-error");
      expect(result.error?.message).toContain("'default'");
      expect(result.error?.line).toBe(language === "javascript" ? 1 : 2);
    }
    await expectHealthy(runner);
  });

  it('refuses re-exporting a name "fs" does not have', async () => {
    const result = await run(runner, `export { readDir } from "fs";`);
    expect(result.outcome).toBe("compile-error");
    await expectHealthy(runner);
  });

  it("refuses import() of anything, catchably, without loading it", async () => {
    const result = await run(
      runner,
      `for (const s of ["net", "/etc/passwd", { toString() { return "fs"; } }]) {
         try { await import(s); console.log("loaded"); } catch (e) { console.log(e.name); }
       }
       console.log(JSON.stringify(import.meta));`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["Error", "Error", "Error", "{}"]);
    await expectHealthy(runner);
  });
});
