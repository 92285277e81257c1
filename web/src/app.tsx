// The shell: who is signed in decides the screen (home, the learner's playground, the
// teacher's dashboard); the hash says where inside it.
import { lazy, Suspense } from "preact/compat";
import { useState } from "preact/hooks";
import { loadAccount, saveAccount, type Account } from "./account.ts";
import { createApi } from "./api/client.ts";
import { Home } from "./home/home.tsx";
import { navigate, useRoute } from "./route.ts";
import { Playground } from "./playground/playground.tsx";

// A learner never downloads the dashboard.
const Dashboard = lazy(() => import("./dashboard/dashboard.tsx").then((m) => m.Dashboard));

export function App() {
  const [account, setAccount] = useState(loadAccount);
  const route = useRoute();

  const signIn = (next: Account) => {
    saveAccount(next);
    setAccount(next);
    navigate(next.role === "learner" ? "learn" : "teach");
  };
  const signOut = async () => {
    if (account)
      await createApi(account.token)
        .logout()
        .catch(() => undefined);
    saveAccount(undefined);
    setAccount(undefined);
    navigate();
  };

  let screen;
  if (!account) {
    screen = <Home onSignIn={signIn} joinCode={route[0] === "join" ? (route[1] ?? "") : ""} />;
  } else if (account.role === "learner") {
    screen = <Playground account={account} route={route} />;
  } else {
    screen = (
      <Suspense fallback={<p role="status">Loading the dashboard…</p>}>
        <Dashboard account={account} route={route} />
      </Suspense>
    );
  }
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          packetlab
        </a>
        {account && (
          <span class="who">
            {account.role === "learner" ? "Learner" : "Teacher"}: {account.name}
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main id="main">{screen}</main>
    </>
  );
}
