/** A failed API call: the server's `{error: {code, message, details}}`, or a network failure. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT";
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the Keepwell API and returns its JSON, or throws an ApiError that says what went wrong. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? "GET",
      headers:
        opts.body === undefined ? { accept: "application/json" } : { "content-type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
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
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown[] } } | null)?.error;
    const details = (e?.details ?? []).filter(
      (d): d is { field: string; message: string } =>
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
