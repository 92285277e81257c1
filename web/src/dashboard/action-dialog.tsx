// A modal dialog that asks before a roster action: the native <dialog> opened with showModal()
// (focus moves into it and stays there, Escape cancels, the page behind is inert), focus back on
// what opened it when it closes, and the API's error shown inside it (role=alert) so the teacher
// can correct or cancel. Destructive actions start on Cancel.
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";

export interface ActionDialogProps {
  title: string;
  confirmLabel: string;
  /** Deleting or removing something: the confirm button says so, and Cancel has the focus. */
  destructive?: boolean;
  /** Does the action; a rejection's message is shown and the dialog stays open. */
  onConfirm: () => Promise<unknown>;
  /** Called after a successful action, or on Cancel/Escape. */
  onClose: () => void;
  children: ComponentChildren;
}

export function ActionDialog({
  title,
  confirmLabel,
  destructive = false,
  onConfirm,
  onClose,
  children,
}: ActionDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.showModal();
    return () => {
      dialog.current?.close();
      // The opener may be gone (a removed learner's row): then the page's main heading.
      if (opener?.isConnected) opener.focus();
      else {
        const heading = document.querySelector<HTMLElement>("h1");
        heading?.setAttribute("tabindex", "-1");
        heading?.focus();
      }
    };
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    onConfirm().then(onClose, (caught: unknown) => {
      setBusy(false);
      setError(caught instanceof Error ? caught.message : String(caught));
    });
  };

  return (
    <dialog
      ref={dialog}
      class="action-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId}>{children}</div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-buttons">
          <button
            type="button"
            class="secondary"
            onClick={onClose}
            disabled={busy}
            autoFocus={destructive}
          >
            Cancel
          </button>
          <button type="submit" class={destructive ? "danger" : ""} disabled={busy}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
