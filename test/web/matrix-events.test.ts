// The dashboard's matrix after each event of the activity feed (matrix-events.ts, pure): roster events
// rename or drop a row and change nothing about a learner the matrix does not have, so an event
// seen twice (a resumed feed) or about someone removed since is harmless.
import { describe, expect, it } from "vitest";
import type { components } from "../../web/src/api/schema.d.ts";
import { applyEvent } from "../../web/src/dashboard/matrix-events.ts";

type ClassProgress = components["schemas"]["ClassProgress"];

const ADA = "00000000-0000-4000-8000-00000000000a";
const GRACE = "00000000-0000-4000-8000-00000000000b";
const STRANGER = "00000000-0000-4000-8000-00000000000c";
const at = "2026-11-26T10:00:00.000Z";

const matrix = {
  classId: "00000000-0000-4000-8000-000000000001",
  exercises: [],
  learners: [
    { id: ADA, displayName: "Ada", cells: [] },
    { id: GRACE, displayName: "Grace", cells: [] },
  ],
} as unknown as ClassProgress;
const names = (progress: ClassProgress | undefined) =>
  progress?.learners.map((learner) => learner.displayName);

describe("the live matrix's roster events", () => {
  it("renames a row, and ignores a learner it does not have", () => {
    const renamed = { type: "learner-renamed", learnerId: ADA, displayName: "Ada L", at } as const;
    expect(names(applyEvent(matrix, renamed))).toEqual(["Ada L", "Grace"]);
    expect(applyEvent(matrix, { ...renamed, learnerId: STRANGER })).toBe(matrix);
  });

  it("drops a removed learner's row, twice or not", () => {
    const removed = { type: "learner-removed", learnerId: GRACE, at } as const;
    const once = applyEvent(matrix, removed)!;
    expect(names(once)).toEqual(["Ada"]);
    expect(names(applyEvent(once, removed))).toEqual(["Ada"]);
  });

  it("drops the duplicate's row of a merge and names the learner it went into", () => {
    const merged = {
      type: "learners-merged",
      learnerId: ADA,
      fromLearnerId: GRACE,
      displayName: "Ada Lovelace",
      at,
    } as const;
    expect(names(applyEvent(matrix, merged))).toEqual(["Ada Lovelace"]);
  });
});
