// The learner's module, rewritten so that nothing it throws or leaves rejected crosses out of the
// isolate unread (see evaluate.ts): its top-level statements run inside one try/catch whose catch
// hands the value to the end-of-program module, and each top-level call statement's promise
// (`main();`) is watched by that module until it settles. Imports and re-exports move after the
// block (they are hoisted anyway, and cannot stand inside one); other `export` keywords are
// blanked (nothing imports a learner's module). Every character keeps its line, and columns move only where text is
// inserted: `shiftBack` undoes the insertions for positions in stack traces.
import { parse, type Node, type Program } from "acorn";

export interface WrappedProgram {
  code: string;
  /** A position in `code` → the same position in the text that was wrapped. */
  shiftBack(position: { line: number; column: number }): { line: number; column: number };
}

/** The end-of-program module's exports, under the names the wrapper gives them. */
export interface EndBindings {
  specifier: string;
  begin: string;
  mark: string;
  fail: string;
  watch: string;
  end: string;
}

interface Insertion {
  offset: number;
  text: string;
}

type Positioned = Node & { start: number; end: number };

/**
 * Null when acorn cannot parse the program: it then runs unwrapped, and V8 reports its syntax
 * error in the learner's own terms.
 */
export function wrapProgram(source: string, bindings: EndBindings): WrappedProgram | null {
  let program: Program;
  try {
    program = parse(source, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowHashBang: true,
    });
  } catch {
    return null;
  }
  const chars = source.split("");
  const blank = (from: number, to: number, keep = "") => {
    for (let i = from; i < to; i++) {
      const offset = i - from;
      chars[i] =
        offset < keep.length
          ? keep[offset]!
          : /[\n\r\u2028\u2029]/.test(chars[i]!)
            ? chars[i]!
            : " ";
    }
  };
  const insertions: Insertion[] = [{ offset: 0, text: `try{${bindings.begin}();` }];
  const lineStarts = lineStartsOf(source);
  const lineOf = (offset: number) => lineAt(lineStarts, offset);
  const moved: string[] = [];
  // A #! line is only allowed at the very start: it becomes a comment of the same length.
  if (source.startsWith("#!")) blank(0, 2, "//");

  for (const statement of program.body as Positioned[]) {
    switch (statement.type) {
      // Declarations that name another module stay declarations (a re-export of a name the
      // facade lacks is still refused when linking), after the block.
      case "ImportDeclaration":
      case "ExportAllDeclaration":
        moved.push(source.slice(statement.start, statement.end));
        blank(statement.start, statement.end);
        break;
      case "ExportNamedDeclaration": {
        const { declaration, source: from } = statement as {
          declaration?: Positioned | null;
          source?: unknown;
        };
        if (declaration) blank(statement.start, declaration.start);
        else {
          if (from) moved.push(source.slice(statement.start, statement.end));
          blank(statement.start, statement.end);
        }
        break;
      }
      case "ExportDefaultDeclaration": {
        const declaration = (statement as unknown as { declaration: Positioned & { id?: unknown } })
          .declaration;
        const named =
          (declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") &&
          declaration.id;
        // An anonymous `export default function () {}` is an expression once `export` goes.
        blank(statement.start, declaration.start, named ? "" : "void");
        break;
      }
      default:
        watchCalls(statement, (expression) => {
          insertions.push({ offset: expression.start, text: `${bindings.watch}(` });
          insertions.push({ offset: expression.end, text: `,${lineOf(expression.start)})` });
        });
    }
    // Each top-level await notes its line first: where a program that never ended stopped.
    findAwaits(statement, (argument) => {
      insertions.push({
        offset: argument.start,
        text: `${bindings.mark}(${lineOf(argument.start)},`,
      });
      insertions.push({ offset: argument.end, text: ")" });
    });
  }

  let body = "";
  let at = 0;
  for (const insertion of insertions.sort((a, b) => a.offset - b.offset)) {
    body += chars.slice(at, insertion.offset).join("") + insertion.text;
    at = insertion.offset;
  }
  body += chars.slice(at).join("");
  const code = [
    body,
    `\n}catch(thrown){${bindings.fail}(thrown)}`,
    ...moved,
    // Last: V8 evaluates imported modules in this order, and the end module deletes the API
    // global that the facades of the program's own imports read as they are evaluated.
    `import { begin as ${bindings.begin}, mark as ${bindings.mark}, fail as ${bindings.fail}, watch as ${bindings.watch}, end as ${bindings.end} } from ${JSON.stringify(bindings.specifier)};`,
    `${bindings.end}();`,
    "",
  ].join("\n");
  return { code, shiftBack: shiftBackFor(lineStarts, insertions) };
}

/**
 * The call statements of the top level, in blocks, branches and loops too (`if (ok) main();`),
 * but not inside functions or classes: those run when called, and what they leave unhandled is
 * the caller's to handle.
 */
function watchCalls(statement: Positioned, watch: (expression: Positioned) => void): void {
  const node = statement as unknown as Record<string, unknown> & Positioned;
  switch (node.type) {
    case "ExpressionStatement": {
      const expression = node.expression as Positioned;
      if (isCall(expression)) watch(expression);
      return;
    }
    case "BlockStatement":
      for (const inner of node.body as Positioned[]) watchCalls(inner, watch);
      return;
    case "IfStatement":
      watchCalls(node.consequent as Positioned, watch);
      if (node.alternate) watchCalls(node.alternate as Positioned, watch);
      return;
    case "ForStatement":
    case "ForInStatement":
    case "ForOfStatement":
    case "WhileStatement":
    case "DoWhileStatement":
    case "LabeledStatement":
      watchCalls(node.body as Positioned, watch);
      return;
    case "TryStatement":
      watchCalls(node.block as Positioned, watch);
      if (node.handler) watchCalls((node.handler as { body: Positioned }).body, watch);
      if (node.finalizer) watchCalls(node.finalizer as Positioned, watch);
      return;
    case "SwitchStatement":
      for (const branch of node.cases as { consequent: Positioned[] }[]) {
        for (const inner of branch.consequent) watchCalls(inner, watch);
      }
      return;
  }
}

const FUNCTION_LIKE = new Set([
  "FunctionDeclaration",
  "FunctionExpression",
  "ArrowFunctionExpression",
  "ClassDeclaration",
  "ClassExpression",
]);

/** The awaits of the top level (not those inside functions or classes), by their argument. */
function findAwaits(node: unknown, found: (argument: Positioned) => void): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const item of node) findAwaits(item, found);
    return;
  }
  const positioned = node as Positioned & Record<string, unknown>;
  if (typeof positioned.type !== "string" || FUNCTION_LIKE.has(positioned.type)) return;
  if (positioned.type === "AwaitExpression") found(positioned.argument as Positioned);
  for (const key of Object.keys(positioned)) {
    if (key !== "type" && key !== "start" && key !== "end") findAwaits(positioned[key], found);
  }
}

function isCall(expression: Positioned): boolean {
  if (expression.type === "CallExpression") return true;
  // `void main();`, `main().then(…);` and the like are calls too.
  if (expression.type === "UnaryExpression") {
    const argument = (expression as unknown as { argument: Positioned }).argument;
    return argument.type === "CallExpression";
  }
  return false;
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset. */
function lineAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Columns on a line move right by the insertions before them on that line. */
function shiftBackFor(lineStarts: number[], insertions: Insertion[]) {
  const byLine = new Map<number, { column: number; length: number }[]>();
  for (const { offset, text } of insertions) {
    const line = lineAt(lineStarts, offset);
    const list = byLine.get(line) ?? [];
    list.push({ column: offset - lineStarts[line - 1]! + 1, length: text.length });
    byLine.set(line, list);
  }
  return ({ line, column }: { line: number; column: number }) => {
    let original = column;
    let before = 0;
    for (const insertion of byLine.get(line) ?? []) {
      const start = insertion.column + before;
      if (column >= start + insertion.length) original -= insertion.length;
      else if (column >= start) original = insertion.column;
      before += insertion.length;
    }
    return { line, column: original };
  };
}
