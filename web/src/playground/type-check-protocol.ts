// What the editor and the type-checking worker say to each other: one answer per request, by id.
import type { CheckedLanguage, Problem, QuickInfo } from "./type-check.ts";
import type { CompletionDetails, CompletionItem, Completions } from "./type-completions.ts";

interface RequestBase {
  id: number;
  code: string;
  language: CheckedLanguage;
  /** Lesson.learnerApi: the same for every lesson today, sent each time so it can differ. */
  declarations: string;
}

export type CheckRequest =
  | (RequestBase & { kind: "problems" })
  | (RequestBase & { kind: "quick-info"; position: number })
  | (RequestBase & { kind: "completions"; position: number })
  | (RequestBase & {
      kind: "completion-details";
      position: number;
      entry: Pick<CompletionItem, "label" | "source" | "data">;
    });

export type CheckResponse =
  | { id: number; result: Problem[] | QuickInfo | Completions | CompletionDetails | null }
  | { id: number; error: string };
