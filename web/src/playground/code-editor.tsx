// The editor's place in the page: CodeMirror arrives in its own chunk, a plain text area is
// there until it does (and stays, labelled, should the chunk fail to load).
import { useEffect, useRef, useState } from "preact/hooks";
import type { Language } from "../api/client.ts";
import type { EditorHandle } from "./codemirror.ts";

export interface RunError {
  line?: number;
  column?: number;
  message: string;
}

interface Props {
  /** A new key starts a new document (another exercise, a replayed attempt loaded). */
  docKey: string;
  initial: string;
  language: Language;
  declarations: string;
  error: RunError | undefined;
  onChange: (code: string) => void;
  onRun: () => void;
}

export function CodeEditor(props: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<EditorHandle | undefined>(undefined);
  const latest = useRef(props);
  latest.current = props;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    import("./codemirror.ts")
      .then(async ({ createEditor, languageSupport }) => {
        const support = await languageSupport(props.language, props.declarations);
        if (cancelled || !host.current) return;
        host.current.textContent = "";
        editor.current = createEditor({
          parent: host.current,
          doc: props.initial,
          language: props.language,
          declarations: props.declarations,
          label: "Your program",
          support,
          onChange: (code) => latest.current.onChange(code),
          onRun: () => latest.current.onRun(),
        });
        editor.current.showError(latest.current.error);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      editor.current?.destroy();
      editor.current = undefined;
    };
    // A new document only for a new key or language; edits flow out through onChange.
  }, [props.docKey, props.language]);

  useEffect(() => editor.current?.showError(props.error), [props.error]);

  if (failed) {
    return (
      <textarea
        class="editor-fallback"
        aria-label="Your program"
        value={props.initial}
        onInput={(event) => props.onChange(event.currentTarget.value)}
        spellcheck={false}
      />
    );
  }
  return <div ref={host} class="editor" />;
}
