import type { Account } from "../account.ts";
import { createApi } from "../api/client.ts";
import { useLoad } from "../use-load.ts";

export function Playground({ account }: { account: Account; route: string[] }) {
  const api = createApi(account.token);
  const lessons = useLoad(() => api.lessons(), [account.token]);
  return (
    <section aria-labelledby="lessons-title">
      <h1 id="lessons-title">Lessons</h1>
      {lessons.error && <p role="alert">{lessons.error}</p>}
      <ul>
        {lessons.value?.items.map((lesson) => (
          <li key={lesson.id}>{lesson.title}</li>
        ))}
      </ul>
    </section>
  );
}
