// The learner's program checked against the `net` module's declarations (Lesson.learnerApi) by
// TypeScript's language service: its problems for the editor's lint, the type under the mouse,
// what can follow at the cursor (type-completions.ts).
// Pure (TypeScript and the lib files come in as arguments), so the web worker runs it and the
// tests run it in Node on every lesson's starter and solution.
import type TS from "typescript";
import {
  completionsAt,
  detailsOf,
  type CompletionDetails,
  type CompletionItem,
  type Completions,
} from "./type-completions.ts";

export interface Problem {
  from: number;
  to: number;
  severity: "error" | "warning";
  message: string;
  /** TypeScript's diagnostic code, e.g. 2345 for an argument of the wrong type. */
  code: number;
}

export interface QuickInfo {
  from: number;
  to: number;
  /** The declaration as TypeScript prints it, e.g. `(method) UdpSocket.sendTo(…): number`. */
  signature: string;
  documentation: string;
}

/** The languages TypeScript checks (the API's Language, less Rust). */
export type CheckedLanguage = "javascript" | "typescript";

/**
 * What the isolate has beside the ES2023 built-ins: `console` (sandbox/console.ts), and no DOM,
 * no `setTimeout`, no `process` (sandbox/globals.ts).
 */
const SANDBOX_GLOBALS = `interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
}
declare var console: Console;
`;

const LIB = "lib.es2023.d.ts";

/**
 * In JavaScript, only the problems that will go wrong when it runs: an unknown name, module
 * export or property (a misspelt method), a call with the wrong arguments, calling what is not
 * a function. JavaScript's loose typing (arithmetic on a field's `number | string | boolean`
 * value, say) is not a mistake there, and the lessons' own solutions are written that way.
 */
const JAVASCRIPT_PROBLEMS = new Set([
  2304, // Cannot find name 'x'.
  2305, // Module '"net"' has no exported member 'x'.
  2307, // Cannot find module 'x'.
  2339, // Property 'x' does not exist on type 'T'.
  2345, // Argument of type 'A' is not assignable to parameter of type 'P'.
  2349, // This expression is not callable.
  2351, // This expression is not constructable.
  2551, // Property 'x' does not exist on type 'T'. Did you mean 'y'?
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2554, // Expected n arguments, but got m.
  2555, // Expected at least n arguments, but got m.
  2724, // '"net"' has no exported member named 'x'. Did you mean 'y'?
]);

/** `libs`: TypeScript's lib.*.d.ts files by file name, lib.es2023.d.ts and all it references. */
export function createTypeChecker(
  ts: typeof TS,
  libs: Record<string, string>,
  declarations: string,
) {
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // Every program is a module: top-level await, and its names stay its own.
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: [LIB],
    types: [],
    strict: true,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
  };
  // JavaScript has no annotations to satisfy `strict` with (every parameter would be an
  // implicit any, every caught error unknown).
  const javascriptOptions: TS.CompilerOptions = { ...options, strict: false };
  const files = new Map<string, string>([
    ["/net.d.ts", declarations],
    ["/sandbox-globals.d.ts", SANDBOX_GLOBALS],
  ]);
  for (const [name, text] of Object.entries(libs)) files.set(`/${name}`, text);
  let program = "/main.ts";
  let version = 0;

  const host: TS.LanguageServiceHost = {
    getScriptFileNames: () => [program, "/net.d.ts", "/sandbox-globals.d.ts"],
    getScriptVersion: (name) => (name === program ? String(version) : "0"),
    getScriptSnapshot: (name) => {
      const text = files.get(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => "/",
    getCompilationSettings: () => (program === "/main.ts" ? options : javascriptOptions),
    getDefaultLibFileName: () => `/${LIB}`,
    fileExists: (name) => files.has(name),
    readFile: (name) => files.get(name),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());

  /** Puts the program in place as main.ts or main.js; returns its file name. */
  const load = (code: string, language: CheckedLanguage) => {
    const name = language === "typescript" ? "/main.ts" : "/main.js";
    if (name !== program) files.delete(program);
    if (name !== program || files.get(name) !== code) {
      program = name;
      files.set(name, code);
      version++;
    }
    return name;
  };

  return {
    problems(code: string, language: CheckedLanguage): Problem[] {
      const name = load(code, language);
      const toProblem =
        (severity: Problem["severity"]) =>
        (diagnostic: TS.Diagnostic): Problem => {
          const from = diagnostic.start ?? 0;
          return {
            from,
            to: from + (diagnostic.length ?? 0),
            // JavaScript runs whatever the types say: a type problem there is a warning of
            // what will probably go wrong, a syntax error stops the run.
            severity: diagnostic.category === ts.DiagnosticCategory.Error ? severity : "warning",
            // "Try changing the 'lib' compiler option…" is no advice for a learner: the
            // sandbox has what it has.
            message: ts
              .flattenDiagnosticMessageText(diagnostic.messageText, "\n")
              .replace(/ Do you need to change your target library\?.*/, ""),
            code: diagnostic.code,
          };
        };
      return [
        ...service.getSyntacticDiagnostics(name).map(toProblem("error")),
        ...service
          .getSemanticDiagnostics(name)
          .filter((d) => d.file?.fileName === name)
          .filter((d) => language === "typescript" || JAVASCRIPT_PROBLEMS.has(d.code))
          .map(toProblem(language === "typescript" ? "error" : "warning")),
      ];
    },

    quickInfo(code: string, language: CheckedLanguage, position: number): QuickInfo | null {
      const name = load(code, language);
      const info = service.getQuickInfoAtPosition(name, position);
      if (!info) return null;
      return {
        from: info.textSpan.start,
        to: info.textSpan.start + info.textSpan.length,
        signature: ts.displayPartsToString(info.displayParts),
        documentation: ts.displayPartsToString(info.documentation),
      };
    },

    completions(code: string, language: CheckedLanguage, position: number): Completions | null {
      return completionsAt(ts, service, load(code, language), code, position);
    },

    completionDetails(
      code: string,
      language: CheckedLanguage,
      position: number,
      entry: Pick<CompletionItem, "label" | "source" | "data">,
    ): CompletionDetails | null {
      return detailsOf(ts, service, load(code, language), position, entry);
    },
  };
}

export type TypeChecker = ReturnType<typeof createTypeChecker>;
