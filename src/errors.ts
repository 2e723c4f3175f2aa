/** Every error a person or a client can see, with its HTTP status. */
export type ErrorCode =
  | "validation_failed"
  | "bad_request"
  | "unauthorized"
  | "csrf_failed"
  | "wrong_host"
  | "too_many_requests"
  | "forbidden"
  | "not_found"
  | "unknown_entity"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal";

export const ERROR_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  csrf_failed: 403,
  wrong_host: 421,
  too_many_requests: 429,
  forbidden: 403,
  not_found: 404,
  unknown_entity: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown[]; total?: number };
}

export class AppError extends Error {
  readonly details: unknown[];
  readonly total: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { details?: unknown[]; total?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.details = extra.details ?? [];
    this.total = extra.total;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        details: this.details,
        ...(this.total !== undefined ? { total: this.total } : {}),
      },
    };
  }
}
