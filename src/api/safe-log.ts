import type { FastifyRequest } from "fastify";

/**
 * What a log line may say of an error: its kind and codes (PostgreSQL's
 * SQLSTATE, constraint, table, column), never the message or detail, which
 * can carry a customer's values, and a stack whose paths are cut to the
 * project's own (no absolute paths).
 */
export function safeError(err: unknown): {
  type: string;
  message: string;
  stack: string;
  [k: string]: unknown;
} {
  if (!(err instanceof Error)) return { type: typeof err, message: "", stack: "" };
  const e = err as Error & Record<string, unknown>;
  const fromDatabase = typeof e.severity === "string" && typeof e.code === "string";
  const out: { type: string; message: string; stack: string; [k: string]: unknown } = {
    type: e.name,
    message: fromDatabase ? `database error ${e.code}` : "(not logged: it may hold customer data)",
    stack: "",
  };
  if (typeof e.code === "string") out.code = e.code;
  for (const k of ["routine", "constraint", "table", "column"] as const)
    if (typeof e[k] === "string") out[k] = e[k];
  // A programming error's message names code, not data (e.g. "Cannot read properties of undefined").
  if (!fromDatabase && (err instanceof TypeError || err instanceof RangeError)) out.message = err.message;
  if (err.stack)
    out.stack = err.stack
      .split("\n")
      .slice(1, 8)
      .map((l) => l.replace(/\(?(file:\/\/)?\/[^\s()]*\/(src|dist|node_modules)\//, "($2/").trim())
      .join("\n");
  return out;
}

/** A request as logged: method, route and path without the query string (which can hold a customer's name). */
export function safeRequest(req: FastifyRequest): { method: string; url: string; [k: string]: unknown } {
  return { method: req.method, url: req.url.split("?")[0] ?? "", route: req.routeOptions?.url, id: req.id };
}
