import type { Account } from "../account.ts";
import { createApi } from "../api/client.ts";
import { useLoad } from "../use-load.ts";

export function Dashboard({ account }: { account: Account; route: string[] }) {
  const api = createApi(account.token);
  const classes = useLoad(() => api.classes(), [account.token]);
  return (
    <section aria-labelledby="classes-title">
      <h1 id="classes-title">Classes</h1>
      {classes.error && <p role="alert">{classes.error}</p>}
      <ul>
        {classes.value?.items.map((klass) => (
          <li key={klass.id}>{klass.name}</li>
        ))}
      </ul>
    </section>
  );
}
