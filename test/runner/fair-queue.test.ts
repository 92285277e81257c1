// The runs waiting for a sandbox: learners served in turn, each learner's runs in order, the
// bounds enforced, and the queue position told to a waiting run is the order it is served in.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createFairQueue } from "../../src/runner/fair-queue.ts";

const roomy = { maxItems: 1000, maxBytes: 1e9, maxPerKey: 100 };

describe("the fair queue", () => {
  it("serves learners in turn, so one learner's flood waits behind everyone's first run", () => {
    const queue = createFairQueue<string>(roomy);
    for (let i = 1; i <= 5; i++) queue.push("flood", `flood-${i}`, 1);
    queue.push("ada", "ada-1", 1);
    queue.push("bob", "bob-1", 1);
    queue.push("ada", "ada-2", 1);
    const served = [];
    for (let item = queue.shift(); item; item = queue.shift()) served.push(item);
    expect(served).toEqual([
      "flood-1",
      "ada-1",
      "bob-1",
      "flood-2",
      "ada-2",
      "flood-3",
      "flood-4",
      "flood-5",
    ]);
  });

  it("refuses past each bound, and has room again once a run leaves", () => {
    const queue = createFairQueue<string>({ maxItems: 3, maxBytes: 100, maxPerKey: 2 });
    expect(queue.push("ada", "a1", 10)).toBeNull();
    expect(queue.push("ada", "a2", 10)).toBeNull();
    expect(queue.push("ada", "a3", 10)).toBe("key-full");
    expect(queue.push("bob", "b1", 90)).toBe("full");
    expect(queue.push("bob", "b1", 80)).toBeNull();
    expect(queue.push("cy", "c1", 1)).toBe("full");
    expect(queue.remove("a1")).toBe(true);
    expect(queue.remove("a1")).toBe(false);
    expect(queue.push("cy", "c1", 1)).toBeNull();
    expect([queue.size, queue.bytes]).toEqual([3, 91]);
    expect(queue.drain().sort()).toEqual(["a2", "b1", "c1"]);
    expect([queue.size, queue.bytes, queue.shift()]).toEqual([0, 0, undefined]);
  });

  it("tells each waiting run the place it is then served at", () => {
    const operation = fc.oneof(
      fc.record({ push: fc.constantFrom("a", "b", "c", "d") }),
      fc.record({ shift: fc.constant(true) }),
      fc.record({ remove: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const queue = createFairQueue<number>(roomy);
        let next = 0;
        const waiting: number[] = [];
        for (const op of operations) {
          if ("push" in op) {
            queue.push(op.push, next, 1);
            waiting.push(next++);
          } else if ("shift" in op) {
            const item = queue.shift();
            if (item !== undefined) waiting.splice(waiting.indexOf(item), 1);
          } else if (waiting.length > 0) {
            const item = waiting[op.remove % waiting.length]!;
            queue.remove(item);
            waiting.splice(waiting.indexOf(item), 1);
          }
        }
        const told = queue.positions();
        for (const item of waiting) expect(queue.positionOf(item)).toBe(told.get(item));
        const served: number[] = [];
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) served.push(item);
        expect(served.map((item) => told.get(item))).toEqual(served.map((_, i) => i + 1));
      }),
    );
  });
});
