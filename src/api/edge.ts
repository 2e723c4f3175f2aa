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

  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    if (typeof body === "string" && body.trim() === "") return done(null, undefined);
    parseJson(req, body as string, (err, value) => {
      if (err && /prototype|constructor/.test(err.message))
        return done(
          new AppError(
            "validation_failed",
            'the JSON holds a "__proto__" or "constructor.prototype" key, which is not allowed',
          ),
          undefined,
        );
      done(err, value);
    });
  });
}
