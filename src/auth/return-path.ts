/** The dashboard's pages anyone can open signed out: never a place to come back to after signing in. */
const PUBLIC_PAGES = ["/signin", "/setup", "/reset"];
const BASE = "http://keepwell.invalid";

/**
 * Where to send a person after signing in: a path on this site only. Anything
 * else (another site, `//host`, a backslash or control character a browser
 * would rewrite into one, a sign-in page, an overlong path) becomes "/".
 */
export function safeReturnPath(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith("/") || next.startsWith("//")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  if (PUBLIC_PAGES.includes(url.pathname.replace(/\/+$/, "") || "/")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
