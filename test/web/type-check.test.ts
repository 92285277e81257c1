// The editor's type checking (web/src/playground/type-check.ts), run in Node on the same lib
// files and declarations the browser's worker gets: no lesson's starter or solution may show a
// problem (a learner would be told their untouched starter is wrong), and a call with the wrong
// argument type is named.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createTypeChecker } from "../../web/src/playground/type-check.ts";

const root = new URL("../..", import.meta.url).pathname;
const libDir = dirname(createRequire(import.meta.url).resolve("typescript/lib/lib.es5.d.ts"));
const libs = Object.fromEntries(
  readdirSync(libDir)
    .filter((name) => /^lib\.(es5|es20\d\d(\.\w+)*|decorators(\.legacy)?)\.d\.ts$/.test(name))
    .map((name) => [name, readFileSync(join(libDir, name), "utf8")]),
);
const declarations = readFileSync(join(root, "sandbox", "net.d.ts"), "utf8");
const checker = createTypeChecker(ts, libs, declarations);

const programs = readdirSync(join(root, "lessons"), { recursive: true, encoding: "utf8" })
  .filter((path) => /(^|\/)(starter|solution)\.(js|ts)$/.test(path))
  .sort();

describe("the editor's type checking", () => {
  it("finds the lessons' programs", () => {
    expect(programs.length).toBeGreaterThan(10);
  });

  it.each(programs)("%s has no problem", (path) => {
    const code = readFileSync(join(root, "lessons", path), "utf8");
    expect(checker.problems(code, path.endsWith(".ts") ? "typescript" : "javascript")).toEqual([]);
  });

  it("names a call's argument of the wrong type, at the argument", () => {
    const code = `import { UdpSocket } from "net";\nconst socket = UdpSocket.bind("0.0.0.0:0");\nsocket.sendTo("hi", 1000);\n`;
    const problems = checker.problems(code, "typescript");
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ severity: "error", code: 2345 });
    expect(problem!.message).toMatch(/'number' is not assignable to parameter of type/);
    expect(code.slice(problem!.from, problem!.to)).toBe("1000");
    // JavaScript runs regardless: the same mistake is a warning there.
    expect(checker.problems(code, "javascript")).toMatchObject([
      { severity: "warning", code: 2345 },
    ]);
  });

  it("names a misspelt method in JavaScript, but not its loose arithmetic", () => {
    const code = `import { UdpSocket } from "net";\nconst socket = UdpSocket.bind("0.0.0.0:0");\nsocket.sendto("hi", "10.0.0.7:1000");\nconst sum = [1, "2", true][0] + 1;\n`;
    expect(checker.problems(code, "javascript")).toMatchObject([
      {
        severity: "warning",
        message: "Property 'sendto' does not exist on type 'UdpSocket'. Did you mean 'sendTo'?",
      },
    ]);
    expect(checker.problems(code, "typescript").map((p) => p.code)).toEqual([2551, 2365]);
  });

  it("reports a syntax error in JavaScript as an error", () => {
    const problems = checker.problems("const x = ;\n", "javascript");
    expect(problems.map((p) => p.severity)).toEqual(["error"]);
  });

  it("knows the sandbox's globals: console, but no DOM and no setTimeout", () => {
    expect(checker.problems('console.log("hi");\n', "typescript")).toEqual([]);
    const problems = checker.problems("setTimeout(() => {}, 10);\ndocument.title;\n", "typescript");
    expect(problems.map((p) => p.message)).toEqual([
      "Cannot find name 'setTimeout'.",
      "Cannot find name 'document'.",
    ]);
  });

  it("says what a name is", () => {
    const code = `import { UdpSocket } from "net";\nUdpSocket.bind("0.0.0.0:0");\n`;
    const info = checker.quickInfo(code, "typescript", code.indexOf("bind") + 1);
    expect(info?.signature).toBe("(method) UdpSocket.bind(addr: ToSocketAddr): UdpSocket");
    expect(code.slice(info!.from, info!.to)).toBe("bind");
  });
});

describe("the editor's completion", () => {
  const program = `import * as net from "net";\nconst socket = net.UdpSocket.bind("0.0.0.0:0");\n`;

  it("offers the net module's exports after `net.`, with their declarations", () => {
    const code = `${program}net.`;
    const found = checker.completions(code, "typescript", code.length)!;
    expect(found).toMatchObject({ from: code.length, member: true });
    const labels = found.items.map((item) => item.label);
    expect(labels).toEqual(
      expect.arrayContaining(["UdpSocket", "TcpStream", "TcpListener", "Ipv4Addr"]),
    );
    // Only the module's members: not a global, not a keyword.
    expect(labels).not.toContain("console");
    expect(found.items.find((item) => item.label === "UdpSocket")).toMatchObject({
      type: "class",
      detail: expect.stringMatching(/class net\.UdpSocket|class UdpSocket/),
    });
  });

  it("offers a socket's methods after `socket.`, with their signatures", () => {
    for (const language of ["typescript", "javascript"] as const) {
      const code = `${program}socket.se`;
      const found = checker.completions(code, language, code.length)!;
      expect(found.from).toBe(code.length - 2);
      expect(found.items.find((item) => item.label === "sendTo")).toMatchObject({
        type: "method",
        detail:
          "(method) UdpSocket.sendTo(data: Uint8Array | string, addr: net.ToSocketAddr): number",
      });
      expect(found.items.map((item) => item.label)).not.toContain("bind");
    }
  });

  it("describes an entry with its documentation", () => {
    const code = `${program}socket.`;
    const details = checker.completionDetails(code, "typescript", code.length, {
      label: "recvFrom",
    });
    expect(details?.signature).toBe(
      "(method) UdpSocket.recvFrom(): [Uint8Array, net.SocketAddrV4]",
    );
    expect(details?.documentation).toMatch(/Waits for one datagram/);
  });

  it("offers the program's own names and the built-ins elsewhere", () => {
    const code = `${program}soc`;
    const found = checker.completions(code, "javascript", code.length)!;
    const labels = found.items.map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(["socket", "net", "console", "Uint8Array"]));
    // The program's own name ranks above a global.
    const boost = (label: string) => found.items.find((item) => item.label === label)!.boost;
    expect(boost("socket")).toBeGreaterThan(boost("Uint8Array"));
  });
});
