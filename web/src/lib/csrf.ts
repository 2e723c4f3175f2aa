/** The session's CSRF token: the readable `kw_csrf` cookie the server sets beside the session, for X-CSRF-Token. */
export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === "kw_csrf") return decodeURIComponent(value.join("="));
  }
  return undefined;
}
