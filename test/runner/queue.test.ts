// Runs waiting for a sandbox: learners are served in turn, a waiting run is told its place,
// and one learner cannot hold more than their share of the queue.
import { afterAll, describe, expect, it } from "vitest";
import { RunnerBusyError } from "../../src/runner/index.ts";
import { request, startRunner } from "./helpers.ts";

const runner = startRunner({ workers: 1, maxQueuedPerLearner: 3 });
afterAll(() => runner.close());

describe("the run queue", () => {
  it("serves learners in turn and tells each waiting run its place", async () => {
    await runner.run(request(`1`)); // the worker is up and idle
    const finished: string[] = [];
    const told = new Map<string, number[]>();
    const submit = (learner: string, name: string) =>
      runner
        .run(request(`1`), {
          queueKey: learner,
          onQueued: (position) => told.set(name, [...(told.get(name) ?? []), position]),
        })
        .then((result) => (finished.push(name), result));
    // All are submitted in one turn of the event loop: the first takes the idle worker, the
    // rest queue before it can finish.
    const runs = [
      submit("flood", "flood-0"),
      submit("flood", "flood-1"),
      submit("flood", "flood-2"),
      submit("flood", "flood-3"),
      submit("ada", "ada-1"),
      submit("bob", "bob-1"),
    ];
    await expect(runner.run(request(`1`), { queueKey: "flood" })).rejects.toBeInstanceOf(
      RunnerBusyError,
    );
    const results = await Promise.all(runs);
    expect(results.map((result) => result.outcome)).toEqual(Array(6).fill("ok"));
    expect(finished).toEqual(["flood-0", "flood-1", "ada-1", "bob-1", "flood-2", "flood-3"]);
    // Places as told on arrival: flood-1 was next; ada-1 arrived behind flood-1..3 but comes
    // second, bob-1 third; the flood's later runs wait behind them.
    expect(told.get("flood-0")).toBeUndefined();
    expect(told.get("flood-1")?.[0]).toBe(1);
    expect(told.get("ada-1")?.[0]).toBe(2);
    expect(told.get("bob-1")?.[0]).toBe(3);
    expect(told.get("flood-3")?.[0]).toBe(3);
  });
});
