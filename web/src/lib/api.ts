import { csrfToken } from "./csrf";
import { navigate } from "./router";
import { isPublicPage, signInUrl } from "./sign-in-url";

/** A failed API call: the server's `{error: {code, message, details}}`, or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** The fields at fault; a config file's problems also name their line. */
    readonly details: { field: string; message: string; line?: number | null }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 sends the person to the sign-in page (default); false for signing in itself. */
  signInOn401?: boolean;
}

const signedOutListeners = new Set<() => void>();

/** Called whenever the server answers 401: the session is over (expired, signed out elsewhere, deactivated). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** To the sign-in page, keeping where the person was so signing in brings them back. */
function signedOut(): void {
  for (const l of signedOutListeners) l();
  const { pathname, search } = window.location;
  if (!isPublicPage(pathname)) navigate(signInUrl(pathname + search), { replace: true });
}

function headers(method: string, body: unknown): Record<string, string> {
  const h: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) h["content-type"] = "application/json";
  if (method !== "GET") {
    const token = csrfToken();
    if (token) h["x-csrf-token"] = token;
  }
  return h;
}

/** Calls the Keepwell API and returns its JSON, or throws an ApiError that says what went wrong. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? "GET";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: headers(method, opts.body),
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError("Keepwell's server cannot be reached. Is `keepwell serve` running?", 0, "network");
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.status === 401 && opts.signInOn401 !== false) signedOut();
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown[] } } | null)?.error;
    const details = (e?.details ?? []).filter(
      (d): d is { field: string; message: string; line?: number | null } =>
        typeof d === "object" && d !== null && "field" in d && "message" in d,
    );
    throw new ApiError(
      e?.message ?? `the server answered ${res.status}`,
      res.status,
      e?.code ?? "http",
      details,
    );
  }
  return body as T;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
