/// <reference types="vite/client" />
// The web worker that holds TypeScript (~900 KB gzip with its lib files): started by the editor
// once the learner works in it, never on the page's first load, and off the main thread so
// typing never waits for a check.
import ts from "typescript";
import { createTypeChecker, type TypeChecker } from "./type-check.ts";
import type { CheckRequest, CheckResponse } from "./type-check-protocol.ts";

// lib.es2023.d.ts and every lib it references (the ES editions and their parts, decorators);
// not the *.full.d.ts ones, which bring the DOM the sandbox does not have.
const libFiles = import.meta.glob<string>(
  [
    "../../../node_modules/typescript/lib/lib.es5.d.ts",
    "../../../node_modules/typescript/lib/lib.es20{15,16,17,18,19,20,21,22,23}*.d.ts",
    "../../../node_modules/typescript/lib/lib.decorators*.d.ts",
    "!**/*.full.d.ts",
  ],
  // exhaustive: the files are in node_modules, which globs skip otherwise.
  { query: "?raw", import: "default", eager: true, exhaustive: true },
);
const libs = Object.fromEntries(
  Object.entries(libFiles).map(([path, text]) => [path.slice(path.lastIndexOf("/") + 1), text]),
);

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CheckRequest>) => void) | null;
  postMessage(message: CheckResponse): void;
};

let checker: { declarations: string; checker: TypeChecker } | undefined;

scope.onmessage = ({ data: request }) => {
  try {
    if (checker?.declarations !== request.declarations) {
      const declarations = request.declarations;
      checker = { declarations, checker: createTypeChecker(ts, libs, declarations) };
    }
    scope.postMessage({ id: request.id, result: answer(checker.checker, request) });
  } catch (error) {
    scope.postMessage({ id: request.id, error: String(error) });
  }
};

function answer(checker: TypeChecker, request: CheckRequest) {
  switch (request.kind) {
    case "problems":
      return checker.problems(request.code, request.language);
    case "quick-info":
      return checker.quickInfo(request.code, request.language, request.position);
    case "completions":
      return checker.completions(request.code, request.language, request.position);
    case "completion-details":
      return checker.completionDetails(
        request.code,
        request.language,
        request.position,
        request.entry,
      );
  }
}
