// What a teacher can do to the roster, each behind an ActionDialog: rename a learner, merge a
// learner who joined twice into this one, remove a learner; open or close the class to new
// learners; delete the class.
import { useState } from "preact/hooks";
import type { Api, Class } from "../api/client.ts";
import { ActionDialog } from "./action-dialog.tsx";

interface Learner {
  id: string;
  displayName: string;
}

export function LearnerActions({
  api,
  classId,
  learner,
  learners,
  onChanged,
  onRemoved,
}: {
  api: Api;
  classId: string;
  learner: Learner;
  /** The class's learners, for choosing a duplicate to merge. */
  learners: Learner[];
  onChanged: () => void;
  onRemoved: () => void;
}) {
  const [open, setOpen] = useState<"rename" | "merge" | "remove">();
  const [name, setName] = useState(learner.displayName);
  const others = learners.filter((other) => other.id !== learner.id);
  const [duplicate, setDuplicate] = useState("");
  const close = () => setOpen(undefined);

  return (
    <div
      class="roster-actions"
      role="group"
      aria-label={`Roster actions for ${learner.displayName}`}
    >
      <button
        type="button"
        class="secondary"
        onClick={() => {
          setName(learner.displayName);
          setOpen("rename");
        }}
      >
        Rename
      </button>
      <button
        type="button"
        class="secondary"
        disabled={others.length === 0}
        onClick={() => {
          setDuplicate(others[0]?.id ?? "");
          setOpen("merge");
        }}
      >
        Merge a duplicate into {learner.displayName}
      </button>
      <button type="button" class="secondary danger" onClick={() => setOpen("remove")}>
        Remove from the class
      </button>

      {open === "rename" && (
        <ActionDialog
          title={`Rename ${learner.displayName}`}
          confirmLabel="Rename"
          onClose={close}
          onConfirm={async () => {
            await api.renameLearner(classId, learner.id, name.trim());
            onChanged();
          }}
        >
          <label>
            New name
            <input
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              required
              maxLength={100}
              autoFocus
            />
          </label>
        </ActionDialog>
      )}

      {open === "merge" && (
        <ActionDialog
          title={`Merge a duplicate into ${learner.displayName}`}
          confirmLabel="Merge"
          destructive
          onClose={close}
          onConfirm={async () => {
            await api.mergeLearner(classId, learner.id, duplicate);
            onChanged();
          }}
        >
          <p>
            The duplicate's attempts, sessions and tokens move to {learner.displayName}, and the
            duplicate leaves the roster. This cannot be undone.
          </p>
          <label>
            Duplicate
            <select value={duplicate} onChange={(e) => setDuplicate(e.currentTarget.value)}>
              {others.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.displayName}
                </option>
              ))}
            </select>
          </label>
        </ActionDialog>
      )}

      {open === "remove" && (
        <ActionDialog
          title={`Remove ${learner.displayName} from the class?`}
          confirmLabel="Remove"
          destructive
          onClose={close}
          onConfirm={async () => {
            await api.removeLearner(classId, learner.id);
            onRemoved();
          }}
        >
          <p>
            A learner in no other class is deleted with all their attempts, and their token stops
            working. This cannot be undone.
          </p>
        </ActionDialog>
      )}
    </div>
  );
}

export function ClassActions({
  api,
  klass,
  onChanged,
  onDeleted,
}: {
  api: Api;
  klass: Class;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const toggleJoins = () => {
    setBusy(true);
    setError("");
    api.setJoinsOpen(klass.id, !klass.joinsOpen).then(
      () => {
        setBusy(false);
        onChanged();
      },
      (caught: unknown) => {
        setBusy(false);
        setError(caught instanceof Error ? caught.message : String(caught));
      },
    );
  };

  return (
    <div class="class-actions">
      <p class="joins-state">
        {klass.joinsOpen ? "Open to new learners." : "Closed to new learners: joining is refused."}
      </p>
      <button type="button" class="secondary" onClick={toggleJoins} disabled={busy}>
        {klass.joinsOpen ? "Close to new learners" : "Open to new learners"}
      </button>
      <button type="button" class="secondary danger" onClick={() => setDeleting(true)}>
        Delete the class
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {deleting && (
        <ActionDialog
          title={`Delete ${klass.name}?`}
          confirmLabel="Delete the class"
          destructive
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await api.deleteClass(klass.id);
            onDeleted();
          }}
        >
          <p>
            Its learners who are in no other class are deleted with all their attempts, and their
            tokens stop working. This cannot be undone.
          </p>
        </ActionDialog>
      )}
    </div>
  );
}
