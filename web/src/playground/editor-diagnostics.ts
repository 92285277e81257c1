// What the editor marks in the code: TypeScript's problems as the learner types (JavaScript and
// TypeScript, from the worker, debounced by the linter), the type of a name under the mouse,
// and the last run's error (a runtime error, V8's or rustc's compile error) at its line and
// column. All of them go through one linter, so none replaces another.
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { StateEffect, StateField, type Extension, type Text } from "@codemirror/state";
import { EditorView, hoverTooltip } from "@codemirror/view";
import type { Language } from "../api/client.ts";
import type { RunError } from "./code-editor.tsx";
import {
  problemsOf,
  quickInfoAt,
  startTypeChecking,
  typeCheckingStarted,
} from "./type-check-client.ts";

const setRunError = StateEffect.define<Diagnostic | null>();
const checkerStarted = StateEffect.define<null>();

/** The run's error, kept at its place while the learner edits around it. */
const runErrorField = StateField.define<Diagnostic | null>({
  create: () => null,
  update(value, transaction) {
    for (const effect of transaction.effects) if (effect.is(setRunError)) return effect.value;
    if (!value || !transaction.docChanged) return value;
    const from = transaction.changes.mapPos(value.from);
    return { ...value, from, to: Math.max(from, transaction.changes.mapPos(value.to, 1)) };
  },
});

/** The run error's place: its column on its line (1-based, as V8 and rustc count) to the end. */
function runErrorDiagnostic(doc: Text, error: RunError | undefined): Diagnostic | null {
  if (error?.line === undefined) return null;
  const line = doc.line(Math.min(Math.max(1, error.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, (error.column ?? 1) - 1));
  return {
    from,
    to: Math.max(from, line.to),
    severity: "error",
    source: "run",
    message: error.message,
  };
}

export function showRunError(view: EditorView, error: RunError | undefined): void {
  view.dispatch({ effects: setRunError.of(runErrorDiagnostic(view.state.doc, error)) });
}

interface Options {
  language: Language;
  declarations: string;
}

export function editorDiagnostics({ language, declarations }: Options): Extension {
  const checked = language === "rust" ? undefined : language;
  const problems = linter(
    async (view) => {
      const runError = view.state.field(runErrorField);
      const own = runError ? [runError] : [];
      if (!checked || !typeCheckingStarted()) return own;
      const code = view.state.doc.toString();
      try {
        const found = await problemsOf({ code, language: checked, declarations });
        return [
          ...own,
          ...found.map((problem): Diagnostic => ({
            from: Math.min(problem.from, code.length),
            to: Math.min(problem.to, code.length),
            severity: problem.severity,
            source: "TypeScript",
            message: problem.message,
          })),
        ];
      } catch {
        return own;
      }
    },
    {
      delay: 400,
      needsRefresh: (update) =>
        update.transactions.some((transaction) =>
          transaction.effects.some((e) => e.is(setRunError) || e.is(checkerStarted)),
        ),
    },
  );
  if (!checked) return [runErrorField, problems, lintGutter()];

  // The worker starts on the learner's first keystroke or focus, not with the page.
  const starter = EditorView.updateListener.of((update) => {
    if (typeCheckingStarted()) return;
    if (update.docChanged || (update.focusChanged && update.view.hasFocus)) {
      if (startTypeChecking()) {
        // A new transaction may not be dispatched from inside this update.
        queueMicrotask(() => {
          if (update.view.dom.isConnected) {
            update.view.dispatch({ effects: checkerStarted.of(null) });
          }
        });
      }
    }
  });
  const types = hoverTooltip(async (view, position) => {
    if (!typeCheckingStarted()) return null;
    const info = await quickInfoAt({
      code: view.state.doc.toString(),
      language: checked,
      declarations,
      position,
    }).catch(() => null);
    if (!info || !info.signature) return null;
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create() {
        const dom = document.createElement("div");
        dom.className = "cm-type-info";
        const signature = dom.appendChild(document.createElement("code"));
        signature.textContent = info.signature;
        if (info.documentation) {
          dom.appendChild(document.createElement("p")).textContent = info.documentation;
        }
        return { dom };
      },
    };
  });
  return [runErrorField, problems, lintGutter(), starter, types];
}
