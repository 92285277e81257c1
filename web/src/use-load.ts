// Loads something from the API for a component: its value, its error, and a way to reload.
import { useCallback, useEffect, useState } from "preact/hooks";

export interface Loaded<T> {
  value: T | undefined;
  error: string;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, keys: unknown[]): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState("");
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (next) => current && (setValue(next), setError("")),
      (caught: unknown) => current && setError(String((caught as Error).message ?? caught)),
    );
    return () => {
      current = false;
    };
    // The caller names the keys the load depends on.
  }, [...keys, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { value, error, reload };
}
