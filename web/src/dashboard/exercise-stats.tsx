// Per exercise: pass rate, learners stuck, attempts to pass, the checks learners fail (root
// cause first, as the API orders them) and the common wrong answers by what they sent.
import type { ExerciseStats } from "../api/client.ts";

export function ExerciseStatsTable({ items }: { items: ExerciseStats[] }) {
  return (
    <table class="stats">
      <thead>
        <tr>
          <th scope="col">Exercise</th>
          <th scope="col">Passed</th>
          <th scope="col">Stuck</th>
          <th scope="col">Attempts</th>
          <th scope="col">Attempts to pass (median)</th>
          <th scope="col">Failing checks (learners failing it first · failing it now)</th>
          <th scope="col">Common wrong answers (learners)</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.lessonId}/${item.exerciseId}`} data-exercise={item.exerciseId}>
            <th scope="row">{item.title}</th>
            <td>
              {item.learnersPassed} of {item.learners} ({Math.round(item.passRate * 100)}%)
            </td>
            <td>{item.learnersStuck}</td>
            <td>{item.attempts}</td>
            <td>{item.medianAttemptsToPass ?? "—"}</td>
            <td>
              {item.checks.length === 0 ? (
                "—"
              ) : (
                <ul class="plain">
                  {item.checks.slice(0, 5).map((check) => (
                    <li key={check.id}>
                      {check.title}: {check.learnersFailingFirst} · {check.learnersFailing}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td>
              {item.wrongAnswers.length === 0 ? (
                "—"
              ) : (
                <ul class="plain">
                  {item.wrongAnswers.slice(0, 3).map((answer) => (
                    <li key={answer.wire}>
                      <code>{answer.wire}</code> ({answer.learners})
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
