// The teacher's dashboard: classes (and a form to create one) at the side, the chosen class
// beside them. A class deleted elsewhere while shown (its live feed says so) is replaced by a
// notice saying it was, rather than by errors from its next request.
import { useMemo, useState } from "preact/hooks";
import type { Account } from "../account.ts";
import { ApiError, createApi, type Class } from "../api/client.ts";
import { navigate } from "../route.ts";
import { useLoad } from "../use-load.ts";
import { ClassView } from "./class-view.tsx";

export function Dashboard({ account, route }: { account: Account; route: string[] }) {
  const api = useMemo(() => createApi(account.token), [account.token]);
  const [, classId, learnerId] = route;
  const classes = useLoad(() => api.classes(), [api]);
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  /** The class the live feed said was deleted, as it was shown. */
  const [deleted, setDeleted] = useState<Class>();
  const klass = classes.value?.items.find((c) => c.id === classId);

  return (
    <div class="dashboard">
      <nav class="class-nav" aria-labelledby="classes-title">
        <h1 id="classes-title">Classes</h1>
        <ul>
          {classes.value?.items.map((c) => (
            <li key={c.id}>
              <a
                href={`#/teach/${c.id}`}
                aria-current={c.id === classId ? "page" : undefined}
                class={c.id === classId ? "current" : ""}
              >
                {c.name}
              </a>
            </li>
          ))}
        </ul>
        {classes.value?.items.length === 0 && <p class="muted">No classes yet.</p>}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setError("");
            api.createClass(name.trim()).then(
              (created) => {
                setName("");
                classes.reload();
                navigate("teach", created.id);
              },
              (caught: unknown) =>
                setError(caught instanceof ApiError ? caught.message : String(caught)),
            );
          }}
        >
          <label>
            New class
            <input
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              required
              maxLength={120}
            />
          </label>
          <button type="submit">Create the class</button>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </form>
      </nav>
      <div class="class-pane">
        {classes.error && <p role="alert">{classes.error}</p>}
        {deleted && deleted.id === classId ? (
          <article aria-labelledby="class-title">
            <h1 id="class-title">{deleted.name}</h1>
            <p role="alert">This class was deleted.</p>
            <p>
              <a href="#/teach">Back to your classes</a>
            </p>
          </article>
        ) : klass ? (
          <ClassView
            api={api}
            klass={klass}
            learnerId={learnerId}
            onClassChanged={classes.reload}
            onDeletedElsewhere={() => {
              setDeleted(klass);
              classes.reload();
            }}
          />
        ) : (
          <p class="muted">Choose a class, or create one.</p>
        )}
      </div>
    </div>
  );
}
