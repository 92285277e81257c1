// The front door: a learner joins a class with its code; a teacher signs in with the token the
// operator (or `packetlab create-teacher`) gave them. Both are checked against the API before
// anything is kept.
import { useState } from "preact/hooks";
import type { Account } from "../account.ts";
import { ApiError, createApi } from "../api/client.ts";

interface HomeProps {
  onSignIn: (account: Account) => void;
  /** From a join link (#/join/CODE), as the class's QR code gives it. */
  joinCode: string;
}

export function Home({ onSignIn, joinCode }: HomeProps) {
  return (
    <div class="home">
      <h1>Learn networking by sending real packets</h1>
      <p class="lead">
        Write a small program, run it on a simulated network, and see every packet it sends, byte by
        byte.
      </p>
      <div class="cards">
        <JoinForm onSignIn={onSignIn} initialCode={joinCode} />
        <TeacherForm onSignIn={onSignIn} />
      </div>
    </div>
  );
}

function useSubmit() {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError("");
    try {
      await work();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function JoinForm({
  onSignIn,
  initialCode,
}: {
  onSignIn: (account: Account) => void;
  initialCode: string;
}) {
  const [code, setCode] = useState(initialCode);
  const [name, setName] = useState("");
  const { error, busy, run } = useSubmit();
  return (
    <form
      class="card"
      aria-labelledby="join-title"
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const joined = await createApi().join(code.trim(), name.trim());
          onSignIn({ role: "learner", token: joined.token, name: name.trim() });
        });
      }}
    >
      <h2 id="join-title">I'm a learner</h2>
      <label>
        Class code
        <input
          name="joinCode"
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          autocomplete="off"
          autocapitalize="characters"
          required
          maxLength={32}
        />
      </label>
      <label>
        Your name
        <input
          name="displayName"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
          maxLength={80}
        />
      </label>
      <button type="submit" disabled={busy}>
        Join the class
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function TeacherForm({ onSignIn }: { onSignIn: (account: Account) => void }) {
  const [token, setToken] = useState("");
  const { error, busy, run } = useSubmit();
  return (
    <form
      class="card"
      aria-labelledby="teacher-title"
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const me = await createApi(token.trim()).me();
          if (me.role !== "teacher") throw new Error("This is not a teacher's token.");
          onSignIn({ role: "teacher", token: token.trim(), name: me.name });
        });
      }}
    >
      <h2 id="teacher-title">I'm a teacher</h2>
      <label>
        Teacher token
        <input
          name="token"
          type="password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          autocomplete="off"
          required
        />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
