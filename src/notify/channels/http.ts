import { performance } from "node:perf_hooks";
import { Agent, request } from "undici";
import type { SendResult } from "./types.js";

/**
 * The one HTTP client of the Slack and webhook senders: a keep-alive agent
 * (64 connections per origin), a POST that never follows redirects, answers
 * cut to their first 2,000 characters, and errors that name the host only —
 * never the path or the query string, which may hold a token.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
export const RESPONSE_MAX = 2000;
/** Bytes of an answer read before the rest is dropped. */
const READ_MAX = 64 * 1024;

let agent: Agent | null = null;

function sharedAgent(): Agent {
  agent ??= new Agent({
    connections: 64,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    connect: { timeout: DEFAULT_TIMEOUT_MS },
  });
  return agent;
}

/** Closes the shared connections (at shutdown, or after a test). */
export async function closeHttpAgent(): Promise<void> {
  const a = agent;
  agent = null;
  if (a) await a.close();
}

export type PostOptions = { timeoutMs?: number };

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Removes what of `url` may be secret from a receiver's answer (a 404 page
 * may echo the path): the query string, any user or password, and the path
 * too when `path` is set (a Slack URL's path is its token).
 */
export function redact(text: string, url: string, path: boolean): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return text;
  }
  const secrets = [url, u.href, u.search, u.search.slice(1), u.username, u.password];
  if (path) secrets.push(u.pathname, safeDecode(u.pathname));
  let out = text;
  for (const s of secrets.filter((x) => x.length > 3).sort((a, b) => b.length - a.length))
    out = out.replaceAll(s, "[redacted]");
  return out;
}

/** host[:port] of a URL, for error messages; null when it is not an http(s) URL. */
export function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.host : null;
  } catch {
    return null;
  }
}

const errCode = (err: unknown): string | null => {
  const e = err as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | null;
  if (typeof e?.code === "string") return e.code;
  if (typeof e?.cause?.code === "string") return e.cause.code;
  return null;
};

/** Why a request got no answer, in words, naming the host only. */
function networkError(err: unknown, host: string, timeoutMs: number): string {
  const name = (err as { name?: unknown } | null)?.name;
  const code = errCode(err);
  if (name === "TimeoutError" || name === "AbortError" || code === "UND_ERR_ABORTED")
    return `no answer from ${host} within ${timeoutMs / 1000} s`;
  if (code === "UND_ERR_CONNECT_TIMEOUT") return `could not connect to ${host} (connect timeout)`;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT")
    return `no answer from ${host} within ${timeoutMs / 1000} s`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `could not find ${host} (${code})`;
  if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return `${host} closed the connection (${code})`;
  return `could not connect to ${host}${code ? ` (${code})` : ""}`;
}

async function readText(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= READ_MAX) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

function fail(error: string, started: number): SendResult {
  return {
    ok: false,
    status: null,
    retry_after: null,
    error,
    response: null,
    latency_ms: performance.now() - started,
  };
}

/**
 * POSTs `body` to `url`. 2xx is ok; any other status (3xx included: not
 * followed) is a failure carrying the status, Retry-After and the answer's start.
 * `describe` words a failing status ("Slack answered 404").
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: PostOptions & {
    describe: (status: number, host: string) => string;
    /** Whether the URL's path is a secret (Slack's is). */
    secretPath: boolean;
  },
): Promise<SendResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = hostOf(url);
  if (!host) return fail("the address is not a valid http(s) URL", started);
  try {
    // Deadlines through undici's own timeouts, not an AbortSignal: an aborted
    // request leaves the pool opening a connection per request for a while.
    const res = await request(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
      dispatcher: sharedAgent(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const response = redact(await readText(res.body), url, opts.secretPath).slice(0, RESPONSE_MAX);
    const ra = res.headers["retry-after"];
    const retryAfter = Array.isArray(ra) ? (ra[0] ?? null) : (ra ?? null);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return {
      ok,
      status: res.statusCode,
      retry_after: retryAfter,
      error: ok ? null : opts.describe(res.statusCode, host),
      response,
      latency_ms: performance.now() - started,
    };
  } catch (err) {
    return fail(networkError(err, host, timeoutMs), started);
  }
}
