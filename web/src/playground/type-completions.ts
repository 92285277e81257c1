// Completion from TypeScript's language service (type-check.ts holds the service): what can
// follow at the cursor, as TypeScript knows it from the `net` module's declarations, the ES
// built-ins and the learner's own names, in plain data the worker can post to the editor.
import type TS from "typescript";

export interface CompletionItem {
  label: string;
  /** CodeMirror's completion type (its icon): method, function, class, variable, keyword… */
  type: string;
  /** The declaration as TypeScript prints it, for members (`net.`, `socket.`) only. */
  detail?: string;
  /** Text to insert when it is not the label (a name that needs brackets, say). */
  apply?: string;
  /** Higher first: TypeScript's own ranking (its sortText), as CodeMirror's boost. */
  boost: number;
  /** Past the label, kept to ask for the entry's details (lazily, when it is selected). */
  source?: string;
  data?: TS.CompletionEntryData;
}

export interface Completions {
  /** Where the completed word starts (what a chosen item replaces, up to the cursor). */
  from: number;
  /** True after a `.`: the members of a value or a module. */
  member: boolean;
  items: CompletionItem[];
}

export interface CompletionDetails {
  signature: string;
  documentation: string;
}

/** Members are few (a class's methods, a module's exports): their signatures come eagerly. */
const EAGER_DETAILS = 80;

const TYPES: Record<string, string> = {
  keyword: "keyword",
  module: "namespace",
  "external module name": "namespace",
  class: "class",
  "local class": "class",
  interface: "interface",
  type: "type",
  "type parameter": "type",
  "primitive type": "type",
  enum: "enum",
  "enum member": "enum",
  var: "variable",
  "local var": "variable",
  let: "variable",
  parameter: "variable",
  using: "variable",
  "await using": "variable",
  const: "constant",
  function: "function",
  "local function": "function",
  method: "method",
  getter: "property",
  setter: "property",
  property: "property",
  accessor: "property",
  alias: "variable",
};

/** ScriptElementKind → CodeMirror's type names (which pick the icon beside the label). */
export const completionType = (kind: string): string => TYPES[kind] ?? "text";

export function completionsAt(
  ts: typeof TS,
  service: TS.LanguageService,
  fileName: string,
  code: string,
  position: number,
): Completions | null {
  const info = service.getCompletionsAtPosition(fileName, position, {
    includeCompletionsWithInsertText: true,
    includeCompletionsForModuleExports: false,
    includeCompletionsWithSnippetText: false,
  });
  if (!info) return null;
  // The word being typed: CodeMirror filters the items by it as the learner goes on typing.
  let from = position;
  while (from > 0 && /[\w$]/.test(code[from - 1]!)) from--;
  const ranks = [...new Set(info.entries.map((entry) => entry.sortText))].sort();
  const eager = info.isMemberCompletion && info.entries.length <= EAGER_DETAILS;
  const items = info.entries.map((entry): CompletionItem => {
    const item: CompletionItem = {
      label: entry.name,
      type: completionType(entry.kind),
      boost: Math.max(-99, -ranks.indexOf(entry.sortText)),
    };
    // An insertText with a replacement span reaches back before the word (`x.a-b` → `x["a-b"]`):
    // those stay as their name, which CodeMirror inserts at the word.
    if (entry.insertText && !entry.replacementSpan) item.apply = entry.insertText;
    if (entry.source) item.source = entry.source;
    if (entry.data) item.data = entry.data;
    if (eager) {
      const details = detailsOf(ts, service, fileName, position, item);
      if (details?.signature) item.detail = details.signature;
    }
    return item;
  });
  return { from, member: info.isMemberCompletion, items };
}

export function detailsOf(
  ts: typeof TS,
  service: TS.LanguageService,
  fileName: string,
  position: number,
  entry: Pick<CompletionItem, "label" | "source" | "data">,
): CompletionDetails | null {
  const details = service.getCompletionEntryDetails(
    fileName,
    position,
    entry.label,
    undefined,
    entry.source,
    undefined,
    entry.data,
  );
  if (!details) return null;
  return {
    signature: ts.displayPartsToString(details.displayParts),
    documentation: ts.displayPartsToString(details.documentation),
  };
}
