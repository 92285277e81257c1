// Who is using this browser: the bearer token the API gave at join (learner) or the one a
// teacher pasted, kept in localStorage so a reload or a return visit picks up where it was.
// Only the token is kept; everything else is asked of the API again.
export type Role = "learner" | "teacher";

export interface Account {
  role: Role;
  token: string;
  name: string;
}

const KEY = "packetlab.account";

export function loadAccount(): Account | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "null") as Account | null;
    if (value && (value.role === "learner" || value.role === "teacher") && value.token) {
      return value;
    }
  } catch {
    // A damaged entry is as good as none.
  }
  return undefined;
}

export function saveAccount(account: Account | undefined): void {
  if (account) localStorage.setItem(KEY, JSON.stringify(account));
  else localStorage.removeItem(KEY);
}
