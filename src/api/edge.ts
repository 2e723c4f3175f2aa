import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { textProblem } from "../ingest/index.js";

/**
 * Checks done once, at the edge, for every route: query and path parameters
 * hold storable text (a NUL would reach PostgreSQL and fail there), and JSON
 * bodies may be empty (an optional body) but never carry "__proto__".
 */
export function installEdgeChecks(app: FastifyInstance): void {
  app.addHook("preValidation", async (req) => {
    const details: { field: string; message: string }[] = [];
    for (const [where, values] of [
      ["query", req.query],
      ["path", req.params],
    ] as const) {
      if (!values || typeof values !== "object") continue;
      for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          const problem = typeof v === "string" ? textProblem(v) : undefined;
          if (problem) details.push({ field: name, message: `the ${where} parameter ${problem}` });
        }
      }
    }
    if (details.length)
      throw new AppError("validation_failed", `invalid ${details[0]!.field}: ${details[0]!.message}`, {
        details,
      });
  });

  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return done(new AppError("validation_failed", `malformed JSON: ${(err as Error).message}`), undefined);
    }
    const key = forbiddenKeyPath(value);
    if (key)
      return done(
        new AppError(
          "validation_failed",
          `the JSON holds a "__proto__" key at ${key}, which is not allowed`,
          {
            details: [{ field: key, message: 'a "__proto__" key is not allowed' }],
          },
        ),
        undefined,
      );
    done(null, value);
  });
}

/** Where a parsed JSON value holds a "__proto__" key (a.b.__proto__), walked with its own stack; undefined when none. */
function forbiddenKeyPath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      if (k === "__proto__") return at;
      stack.push([(v as Record<string, unknown>)[k], at]);
    }
  }
  return undefined;
}
