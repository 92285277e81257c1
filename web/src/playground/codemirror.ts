// CodeMirror 6, loaded only when an editor is shown (it is most of the playground's weight):
// JavaScript/TypeScript highlighting with completion from TypeScript's language service
// (language-completions.ts), Rust highlighting with completion of its `std` facade
// (its own chunk, loaded only for Rust), problems and the run's error marked inline
// (editor-diagnostics.ts). Tab is left to the browser (no indentWithTab), so the keyboard can
// leave the editor; Ctrl/Cmd-Enter runs.
import { autocompletion, completeFromList, ifNotIn } from "@codemirror/autocomplete";
import {
  javascriptLanguage,
  snippets,
  typescriptLanguage,
  typescriptSnippets,
} from "@codemirror/lang-javascript";
import { HighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import type { Extension } from "@codemirror/state";
import { tags } from "@lezer/highlight";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import type { Language } from "../api/client.ts";
import type { RunError } from "./code-editor.tsx";
import { editorDiagnostics, showRunError } from "./editor-diagnostics.ts";
import { languageCompletionSource } from "./language-completions.ts";

// CodeMirror's default colours fall below WCAG AA contrast (4.5:1) for comments and some
// tokens; these keep every token readable on the light and the dark background.
const readableColours = HighlightStyle.define([
  { tag: tags.keyword, color: "light-dark(#7a1f99, #e0a6ff)" },
  { tag: [tags.string, tags.special(tags.string)], color: "light-dark(#1f6420, #8fe08f)" },
  { tag: [tags.number, tags.bool, tags.null], color: "light-dark(#8a4500, #ffbf70)" },
  { tag: tags.comment, color: "light-dark(#4f5560, #b4bac4)", fontStyle: "italic" },
  { tag: [tags.typeName, tags.className], color: "light-dark(#0b4f94, #8cc4ff)" },
  {
    tag: [tags.definition(tags.variableName), tags.function(tags.variableName)],
    color: "light-dark(#003f7d, #a8d1ff)",
  },
  { tag: [tags.propertyName, tags.operator, tags.punctuation], color: "inherit" },
]);

/** Where lang-javascript offers no snippet (its own list, which it does not export). */
const NO_SNIPPETS = [
  "TemplateString",
  "String",
  "RegExp",
  "LineComment",
  "BlockComment",
  "VariableDefinition",
  "TypeDefinition",
  "Label",
  "PropertyDefinition",
  "PropertyName",
  "PrivatePropertyDefinition",
  "PrivatePropertyName",
  ".",
  "?.",
];

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  language: Language;
  declarations: string;
  label: string;
  /** From languageSupport(language). */
  support: Extension;
  onChange: (doc: string) => void;
  onRun: () => void;
}

export interface EditorHandle {
  view: EditorView;
  showError(error: RunError | undefined): void;
  destroy(): void;
}

/** The language's grammar and completion; Rust's grammar is fetched the first time it is asked. */
export async function languageSupport(language: Language, declarations: string) {
  if (language === "rust") return (await import("./rust-language.ts")).rustSupport();
  const typescript = language === "typescript";
  const data = (typescript ? typescriptLanguage : javascriptLanguage).data;
  // Not javascript(): its keyword list and scan of local names would repeat what TypeScript
  // offers. Its snippets (for loop, try/catch…) stay, out of strings, comments and new names.
  return [
    new LanguageSupport(typescript ? typescriptLanguage : javascriptLanguage),
    data.of({
      autocomplete: ifNotIn(
        NO_SNIPPETS,
        completeFromList(typescript ? typescriptSnippets : snippets),
      ),
    }),
    data.of({ autocomplete: languageCompletionSource(language, declarations) }),
    autocompletion(),
  ];
}

export function createEditor(options: EditorOptions): EditorHandle {
  const view = new EditorView({
    parent: options.parent,
    doc: options.doc,
    extensions: [
      keymap.of([{ key: "Mod-Enter", run: () => (options.onRun(), true) }]),
      syntaxHighlighting(readableColours),
      basicSetup,
      options.support,
      editorDiagnostics({ language: options.language, declarations: options.declarations }),
      EditorView.contentAttributes.of({ "aria-label": options.label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    view,
    showError: (error) => showRunError(view, error),
    destroy: () => view.destroy(),
  };
}
