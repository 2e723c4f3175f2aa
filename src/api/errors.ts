import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type ErrorCode } from "../errors.js";

/** Fastify's own errors that a client caused, as our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "validation_failed",
  FST_ERR_CTP_INVALID_JSON_BODY: "validation_failed",
};

function toAppError(err: FastifyError, limitBytes: number): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({
      field: v.instancePath.replace(/^\//, "").replace(/\//g, "."),
      message: v.message,
    }));
    return new AppError("validation_failed", `invalid ${err.validationContext ?? "request"}`, { details });
  }
  const code = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (code === "payload_too_large") {
    return new AppError(
      code,
      `the request body is over the limit of ${Math.round(limitBytes / 1024 / 1024)} MB`,
    );
  }
  if (code === "unsupported_media_type") {
    return new AppError(
      code,
      "unsupported Content-Type: send application/json, application/x-ndjson or text/csv",
    );
  }
  if (err.code === "FST_ERR_CTP_EMPTY_JSON_BODY")
    return new AppError("validation_failed", "the request body is empty");
  if (
    err.code === "FST_ERR_CTP_INVALID_JSON_BODY" ||
    (err as { type?: string }).type === "entity.parse.failed" ||
    err instanceof SyntaxError
  ) {
    return new AppError("validation_failed", `malformed JSON: ${err.message}`);
  }
  if (code) return new AppError(code, err.message);
  if (err.statusCode === 404) return new AppError("not_found", "not found");
  if (err.statusCode === 403) return new AppError("forbidden", "forbidden");
  if (err.statusCode === 429) return new AppError("too_many_requests", "too many requests: try again later");
  // Any other error a plugin marks as the client's (4xx) stays a 400, without its internals.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError("bad_request", "the request cannot be served as sent");
  return new AppError("internal", "internal error");
}

/** The one HTTP error handler: every error leaves as `{"error": {code, message, details}}`; a 500 never shows a stack. */
export function installErrorHandler(app: FastifyInstance, limitBytes: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toAppError(err, limitBytes);
    if (e.code === "internal") req.log.error({ err }, "request failed");
    else if (e.status >= 500) req.log.warn({ code: e.code }, "request refused");
    void reply.status(e.status).send(e.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new AppError(
      "not_found",
      `no route ${req.method} ${(req.url.split("?")[0] ?? "").slice(0, 200)}`,
    );
    void reply.status(404).send(e.toBody());
  });
}
