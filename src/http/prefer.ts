// The Prefer request header (RFC 7240): which preferences of a request this API honours.
// A preference the server does not know, or a value it cannot read, is ignored (§2: "a server
// MUST ignore ... preferences it does not understand"), never an error.

export interface Preferences {
  /** RFC 7240 §4.1: answer 202 at once and let the client poll. */
  respondAsync: boolean;
  /** RFC 7240 §4.3: seconds the client is willing to wait for a final answer. */
  waitSeconds?: number;
}

/**
 * RFC 7240 §2: `Prefer: token [ "=" word ] *( ";" parameter )`, comma-separated, names
 * case-insensitive; the first instance of a preference counts. Several Prefer headers are one
 * list (Node joins them with ", ").
 */
export function parsePrefer(header: string | readonly string[] | undefined): Preferences {
  const preferences: Preferences = { respondAsync: false };
  const seen = new Set<string>();
  const text = typeof header === "string" ? header : (header ?? []).join(",");
  for (const item of splitOutsideQuotes(text, ",")) {
    const [first = ""] = splitOutsideQuotes(item, ";");
    const equals = first.indexOf("=");
    const name = (equals < 0 ? first : first.slice(0, equals)).trim().toLowerCase();
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const value = equals < 0 ? undefined : unquote(first.slice(equals + 1).trim());
    if (name === "respond-async") preferences.respondAsync = true;
    // delta-seconds (RFC 9111 §1.2.2): digits only.
    if (name === "wait" && value !== undefined && /^\d{1,9}$/.test(value))
      preferences.waitSeconds = Number(value);
  }
  return preferences;
}

/** Splits on `separator` where it is not inside a quoted-string; the parts keep their quotes. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  return value;
}
