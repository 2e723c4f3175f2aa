/** The pages anyone can open signed out: signing in, first-run setup, setting a password from a link. */
export const PUBLIC_PAGES = ["/signin", "/setup", "/reset"];

export function isPublicPage(path: string): boolean {
  return PUBLIC_PAGES.includes(path.replace(/\/+$/, "") || "/");
}

/** A place inside the dashboard to go back to after signing in (never another site, never a public page). */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  const path = next.split(/[?#]/)[0] ?? "/";
  return isPublicPage(path) ? "/" : next;
}

/** The sign-in page, remembering `from` (a path and its query) to return to. */
export function signInUrl(from?: string): string {
  const next = safeNext(from);
  return next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(next)}`;
}
