import { useSyncExternalStore } from "react";
import { ApiError, api, onSignedOut } from "./api";
import { navigate } from "./router";
import type { SessionStarted, User } from "./types";

/** Who is signed in, as the whole dashboard sees it: one store, read with useSession. */
export type Session =
  | { status: "unknown" | "checking" | "signed_out"; user?: undefined; error?: undefined }
  | { status: "signed_in"; user: User; error?: undefined }
  | { status: "failed"; user?: undefined; error: ApiError };

let current: Session = { status: "unknown" };
const listeners = new Set<() => void>();

function set(next: Session): void {
  current = next;
  for (const l of listeners) l();
}

onSignedOut(() => set({ status: "signed_out" }));

export function useSession(): Session {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** Asks the server who is signed in (a 401 means nobody: the api call goes to the sign-in page). */
export async function checkSession(): Promise<void> {
  if (current.status === "checking") return;
  set({ status: "checking" });
  try {
    const { user } = await api<{ user: User }>("/api/v1/session");
    set({ status: "signed_in", user });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) set({ status: "signed_out" });
    else
      set({
        status: "failed",
        error: err instanceof ApiError ? err : new ApiError(String(err), 0, "client"),
      });
  }
}

/** After signing in, setting up or setting a password: the answer's user (the cookies carry the session). */
export function started(s: SessionStarted): void {
  set({ status: "signed_in", user: s.user });
}

/** Ends the session on the server, then shows the sign-in page (a session already gone counts as ended). */
export async function signOut(): Promise<void> {
  try {
    await api("/api/v1/session", { method: "DELETE", signInOn401: false });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  set({ status: "signed_out" });
  navigate("/signin", { replace: true });
}

/** The signed-in person, on pages shown only to someone signed in. */
export function useUser(): User {
  const s = useSession();
  if (!s.user) throw new Error("nobody is signed in");
  return s.user;
}

/** After a change to the signed-in person (their name or role), so the header and controls follow. */
export function updatedUser(user: User): void {
  if (current.status === "signed_in" && current.user.id === user.id) set({ status: "signed_in", user });
}
