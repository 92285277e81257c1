// The learner's drafts, kept in the browser per exercise so a reload loses nothing: the chosen
// language, and one draft for JavaScript/TypeScript (switching between them keeps the program)
// and one for Rust (a different program, with its own starter).
import type { Exercise, Language } from "../api/client.ts";

const prefix = (lessonId: string, exerciseId: string) =>
  `packetlab.draft.${lessonId}.${exerciseId}`;

export const LANGUAGE_NAMES: Record<Language, string> = {
  javascript: "JavaScript",
  typescript: "TypeScript",
  rust: "Rust",
};

export function starterFor(exercise: Exercise, language: Language): string {
  return (
    exercise.starterCodeByLanguage[language] ?? (language === "rust" ? "" : exercise.starterCode)
  );
}

export function createDrafts(lessonId: string, exercise: Exercise) {
  const base = prefix(lessonId, exercise.id);
  const languageKey = `${base}.language`;
  // JavaScript's key is the one drafts had before Rust came.
  const key = (language: Language) => (language === "rust" ? `${base}.rust` : base);
  return {
    key,
    language(): Language {
      const saved = localStorage.getItem(languageKey) as Language | null;
      // `languages`: what this server runs the exercise in (Rust needs its compiler), so a
      // choice saved where Rust ran falls back where it does not.
      return saved && exercise.languages.includes(saved) ? saved : exercise.language;
    },
    setLanguage: (language: Language) => localStorage.setItem(languageKey, language),
    code: (language: Language) =>
      localStorage.getItem(key(language)) ?? starterFor(exercise, language),
    save: (language: Language, code: string) => localStorage.setItem(key(language), code),
    forget: (language: Language) => localStorage.removeItem(key(language)),
  };
}

/** Whether two languages share one draft (JavaScript and TypeScript do). */
export const sameDraft = (a: Language, b: Language) => (a === "rust") === (b === "rust");
