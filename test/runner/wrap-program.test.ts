// The learner's module runs wrapped (src/runner/wrap-program.ts): a try/catch around its top
// level, imports moved after it, call statements watched. The learner must not see any of it:
// positions are those of their own text, as Node reports them for the same file.
import { afterAll, describe, expect, it } from "vitest";
import { wrapProgram } from "../../src/runner/wrap-program.ts";
import { lines, run, startRunner } from "./helpers.ts";

const runner = startRunner();
afterAll(() => runner.close());

const bindings = { specifier: "end", begin: "b", mark: "m", fail: "f", watch: "w", end: "e" };

describe("positions in a wrapped program", () => {
  it("are the learner's own on the first line, inside call statements and inside functions", async () => {
    const cases: [string, { line: number; column: number }][] = [
      [`throw new Error("x");`, { line: 1, column: 7 }],
      [`const a = 1;\n  console.log(null.x);`, { line: 2, column: 20 }],
      [`function f() { return null.y; }\nf(); f();`, { line: 1, column: 28 }],
      [
        `import { UdpSocket } from "net";\nUdpSocket.bind("0.0.0.0:0"); JSON.parse("{");`,
        { line: 2, column: 35 },
      ],
    ];
    for (const [code, position] of cases) {
      const result = await run(runner, code);
      expect(result.outcome, code).toBe("runtime-error");
      expect(result.error, code).toMatchObject(position);
    }
  });

  it("keeps each line where it was, and a #! line a comment", () => {
    const source = `#!/usr/bin/env node\nimport { UdpSocket } from "net";\nexport const x = 1;\nmain();\n`;
    const wrapped = wrapProgram(source, bindings)!;
    const wrappedLines = wrapped.code.split("\n");
    expect(wrappedLines[0]).toBe("try{b();///usr/bin/env node");
    expect(wrappedLines[1]!.trim()).toBe("");
    expect(wrappedLines[2]).toBe("       const x = 1;");
    expect(wrappedLines[3]).toBe("w(main(),4);");
    expect(wrapped.code).toContain(`import { UdpSocket } from "net";`);
    expect(wrapped.shiftBack({ line: 4, column: 3 })).toEqual({ line: 4, column: 1 });
    expect(wrapped.shiftBack({ line: 4, column: 8 })).toEqual({ line: 4, column: 6 });
    expect(wrapped.shiftBack({ line: 1, column: 9 })).toEqual({ line: 1, column: 1 });
  });

  it("leaves a program that acorn cannot parse to V8's own syntax error", async () => {
    expect(wrapProgram("let = ;", bindings)).toBeNull();
    const result = await run(runner, `console.log(1);\nlet x = ;`);
    expect(result.outcome).toBe("compile-error");
    expect(result.error).toMatchObject({ name: "SyntaxError", line: 2 });
  });

  it("runs exports, default exports and re-exports as the module would", async () => {
    const result = await run(
      runner,
      `export const a = 1;\nexport default function () { return 2; }\nexport function b() { return 3; }\nexport { UdpSocket } from "net";\nconsole.log(a, b());`,
    );
    expect(result.outcome).toBe("ok");
    expect(lines(result)).toEqual(["1 3"]);
  });
});
