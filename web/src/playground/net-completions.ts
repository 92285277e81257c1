// Completion for the `net` module from the declarations the API serves with the lesson
// (Lesson.learnerApi): its exports, a class's static members after `ClassName.`, and instance
// methods after any other `value.`. Read line by line from the .d.ts's regular layout, so a
// newly declared export or method is offered without touching the app.
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";

interface Member {
  name: string;
  isStatic: boolean;
  signature: string;
  className: string;
}

interface NetApi {
  exports: Completion[];
  members: Member[];
}

export function readNetApi(declarations: string): NetApi {
  const exports: Completion[] = [];
  const members: Member[] = [];
  let className: string | undefined;
  for (const line of declarations.split("\n")) {
    const exported = /^\s*export\s+(class|function|const|interface|type)\s+(\w+)/.exec(line);
    if (exported) {
      const [, kind, name] = exported as unknown as [string, string, string];
      if (kind !== "interface" && kind !== "type") {
        exports.push({
          label: name,
          type: kind === "const" ? "constant" : kind,
          detail: line.trim().replace(/\s*\{\s*$/, ""),
        });
      }
      className = kind === "class" && line.trimEnd().endsWith("{") ? name : undefined;
      continue;
    }
    if (className && /^\s{2}\}/.test(line)) {
      className = undefined;
      continue;
    }
    const member = /^\s+(static\s+)?(?:readonly\s+)?(\w+)\s*[(:<]/.exec(line);
    if (className && member && member[2] !== "constructor") {
      members.push({
        name: member[2]!,
        isStatic: Boolean(member[1]),
        signature: line.trim().replace(/;$/, ""),
        className,
      });
    }
  }
  return { exports, members };
}

export function netCompletionSource(declarations: string) {
  const api = readNetApi(declarations);
  const classNames = new Set(api.members.map((m) => m.className));
  return (context: CompletionContext): CompletionResult | null => {
    const dotted = context.matchBefore(/[\w$]+\.[\w$]*$/);
    if (dotted) {
      const [owner] = dotted.text.split(".") as [string];
      const from = dotted.from + owner.length + 1;
      const candidates = classNames.has(owner)
        ? api.members.filter((m) => m.isStatic && m.className === owner)
        : api.members.filter((m) => !m.isStatic);
      const seen = new Set<string>();
      const options = candidates
        .filter((m) => !seen.has(m.name) && (seen.add(m.name), true))
        .map((m) => ({
          label: m.name,
          type: m.signature.includes("(") ? "method" : "property",
          detail: classNames.has(owner) ? m.signature : `${m.className}: ${m.signature}`,
        }));
      return { from, options, validFor: /^[\w$]*$/ };
    }
    const word = context.matchBefore(/[\w$]+$/);
    if (!word && !context.explicit) return null;
    return { from: word?.from ?? context.pos, options: api.exports, validFor: /^[\w$]*$/ };
  };
}
