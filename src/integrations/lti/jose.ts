// jose, loaded when the first LTI message is signed or verified: its ~60 modules were ~45 ms of
// the API's CPU at every start, for a feature many deployments never use. Types are imported
// from "jose" directly (they cost nothing at run time).
let loading: Promise<typeof import("jose")> | undefined;

export function loadJose(): Promise<typeof import("jose")> {
  return (loading ??= import("jose"));
}
