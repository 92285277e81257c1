// Hash routes (#/learn/<lesson>/<exercise>, #/teach/<class>): the service serves one file at
// `/`, and a reload or a shared link lands on the same screen.
import { useEffect, useState } from "preact/hooks";

export function currentRoute(): string[] {
  return location.hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

export function navigate(...parts: string[]): void {
  location.hash = "#/" + parts.map(encodeURIComponent).join("/");
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}
