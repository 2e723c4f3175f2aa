import { z } from "zod";
import type { Cell } from "../store/index.js";
import { excerpt, objectProblem, textProblem } from "./safe-text.js";

/**
 * One field of an ingested entity, described once: how JSON input is validated
 * (zod, which also feeds OpenAPI), how a CSV cell is read, the SQL type it is
 * stored as, and how its value is written as text for the bulk path.
 */
export interface Field {
  readonly schema: z.ZodType;
  readonly sqlType: string;
  /** Turns a CSV cell into the JSON value `schema` expects, or throws a message. */
  readonly fromCsv: (cell: string) => unknown;
  /** The value (after `schema`) as text for bulk loading, null when absent. */
  readonly toCell: (value: unknown) => Cell;
  /** The store column, when it differs from the API field name. */
  readonly column?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

/** The common case, already what the store would write back: checked cheaply and passed through. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the calendar and clock parts are real (JavaScript's Date would roll 2025-02-30 over to March). */
function realParts(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 && !leap ? 28 : DAYS_IN_MONTH[m - 1]!)) return false;
  if (s.length > 10) {
    const hh = Number(s.slice(11, 13));
    const mm = Number(s.slice(14, 16));
    const ss = s.length >= 19 && s[16] === ":" ? Number(s.slice(17, 19)) : 0;
    if (hh > 23 || mm > 59 || ss > 59) return false;
  }
  return true;
}

/** The span a stored time may fall in (UTC): anything outside is a typo or a sentinel, and PostgreSQL refuses year 0. */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1) - 1;
const RANGE_MESSAGE = "is out of range: times must fall between 1900-01-01 and 9999-12-31 (UTC)";

function parseTimestamp(s: string): Date | undefined {
  if (!ISO_DATE.test(s) && !ISO_DATETIME.test(s)) return undefined;
  if (!realParts(s)) return undefined;
  // A time without an offset is taken as UTC, so results never depend on the server's zone.
  const withZone = ISO_DATE.test(s) || /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s) ? s : `${s}Z`;
  const d = new Date(withZone.replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function inRange(d: Date): boolean {
  const t = d.getTime();
  return t >= EARLIEST && t <= LATEST;
}

function validDate(s: string): boolean {
  return ISO_DATE.test(s) && realParts(s);
}

const str = (v: unknown): Cell => (v === undefined || v === null ? null : String(v));

/** A plain decimal number: no hex, binary or octal, no Infinity or NaN, no thousands separators. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function csvNumber(cell: string): unknown {
  const t = cell.trim();
  if (!DECIMAL.test(t)) throw new Error(`expected a decimal number, got ${excerpt(cell)}`);
  return Number(t);
}

/** Adds the store's text rules (no NUL or control characters, valid Unicode) to a string schema. */
function storable(schema: z.ZodString): z.ZodType<string> {
  return schema.superRefine((v, ctx) => {
    const problem = textProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export function text(opts: { max?: number; column?: string } = {}): Field {
  return {
    schema: storable(
      z
        .string({ error: "expected a string" })
        .max(opts.max ?? 100_000, `must be at most ${opts.max ?? 100_000} characters`),
    ),
    sqlType: "text",
    fromCsv: (c) => c,
    toCell: str,
    column: opts.column,
  };
}

export function id(): Field {
  return {
    schema: storable(
      z
        .string({ error: "expected a string" })
        .trim()
        .min(1, "must not be empty")
        .max(200, "must be at most 200 characters"),
    ),
    sqlType: "text",
    fromCsv: (c) => c,
    toCell: str,
  };
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): Field {
  return {
    schema: z.enum(values, { error: () => `must be one of ${values.join(", ")}` }),
    sqlType: "text",
    fromCsv: (c) => c.trim(),
    toCell: str,
  };
}

export function integer(opts: { min?: number; max?: number } = {}): Field {
  // Stored as a 32-bit integer.
  let s = z
    .number({ error: "expected a number" })
    .int("must be a whole number")
    .max(2_147_483_647, "is too large")
    .min(-2_147_483_648, "is too small");
  if (opts.min !== undefined) s = s.min(opts.min, `must be at least ${opts.min}`);
  if (opts.max !== undefined) s = s.max(opts.max, `must be at most ${opts.max}`);
  return { schema: s, sqlType: "integer", fromCsv: csvNumber, toCell: str };
}

export function number(opts: { min?: number; max?: number; sqlType?: string } = {}): Field {
  let s = z.number({ error: "expected a number" }).refine(Number.isFinite, "must be a finite number");
  if (opts.min !== undefined) s = s.refine((n) => n >= opts.min!, `must be at least ${opts.min}`);
  if (opts.max !== undefined) s = s.refine((n) => n <= opts.max!, `must be at most ${opts.max}`);
  return { schema: s, sqlType: opts.sqlType ?? "double precision", fromCsv: csvNumber, toCell: str };
}

/** Money and percentages: exact `numeric` in the store. */
export function amount(opts: { min?: number; max?: number } = {}): Field {
  return number({ ...opts, sqlType: "numeric" });
}

export function bool(): Field {
  const truthy = new Set(["true", "t", "yes", "y", "1"]);
  const falsy = new Set(["false", "f", "no", "n", "0"]);
  return {
    schema: z.boolean({ error: "expected true or false" }),
    sqlType: "boolean",
    fromCsv: (c) => {
      const v = c.trim().toLowerCase();
      if (truthy.has(v)) return true;
      if (falsy.has(v)) return false;
      throw new Error(`expected true or false, got ${excerpt(c)}`);
    },
    toCell: (v) => (v === undefined || v === null ? null : v ? "t" : "f"),
  };
}

/** An ISO 4217 currency code, stored upper-case. */
export function currency(): Field {
  return {
    schema: z
      .string({ error: "expected a currency code" })
      .regex(/^[A-Za-z]{3}$/, "must be a three-letter currency code (ISO 4217, e.g. USD)")
      .transform((c) => c.toUpperCase()),
    sqlType: "text",
    fromCsv: (c) => c.trim(),
    toCell: str,
  };
}

/** A point in time: ISO 8601, stored as timestamptz, written back in UTC. */
export function timestamp(): Field {
  return {
    schema: z
      .string({ error: "expected an ISO 8601 date-time string" })
      .superRefine((s, ctx) => {
        const fast = CANONICAL_UTC.test(s) && realParts(s);
        const d = fast ? undefined : parseTimestamp(s);
        if (!fast && !d)
          ctx.addIssue({
            code: "custom",
            message: "is not an ISO 8601 date-time (e.g. 2025-03-04T09:15:00Z)",
          });
        else if (fast ? s < "1900" : !inRange(d!)) ctx.addIssue({ code: "custom", message: RANGE_MESSAGE });
      })
      .meta({ format: "date-time" }),
    sqlType: "timestamptz",
    fromCsv: (c) => c.trim(),
    toCell: (v) =>
      typeof v !== "string" ? null : CANONICAL_UTC.test(v) ? v : parseTimestamp(v)!.toISOString(),
  };
}

/** A calendar day: YYYY-MM-DD (a full timestamp is accepted and cut to its UTC day). */
export function date(): Field {
  return {
    schema: z
      .string({ error: "expected a YYYY-MM-DD date string" })
      .superRefine((s, ctx) => {
        const d = validDate(s) ? new Date(`${s}T00:00:00Z`) : parseTimestamp(s);
        if (!d) ctx.addIssue({ code: "custom", message: "is not a date (expected YYYY-MM-DD)" });
        else if (!inRange(d)) ctx.addIssue({ code: "custom", message: RANGE_MESSAGE });
      })
      .meta({ format: "date" }),
    sqlType: "date",
    fromCsv: (c) => c.trim(),
    toCell: (v) =>
      typeof v === "string" ? (validDate(v) ? v : parseTimestamp(v)!.toISOString().slice(0, 10)) : null,
  };
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** A list of strings: JSON in JSON, and JSON or `a;b;c` in a CSV cell. */
export function textList(): Field {
  return {
    schema: z
      .array(
        storable(
          z.string({ error: "expected a list of strings" }).max(1000, "has an item over 1,000 characters"),
        ),
        {
          error: "expected a list of strings",
        },
      )
      .max(1000, "must have at most 1,000 items"),
    sqlType: "text[]",
    fromCsv: (c) => {
      const t = c.trim();
      if (t.startsWith("[")) {
        try {
          return JSON.parse(t);
        } catch {
          throw new Error("is not valid JSON list");
        }
      }
      return t === ""
        ? []
        : t
            .split(";")
            .map((s) => s.trim())
            .filter((s) => s !== "");
    },
    toCell: (v) => (Array.isArray(v) ? arrayLiteral(v as string[]) : null),
  };
}

/** A JSON object (event properties). */
export function object(): Field {
  return {
    // Checked without copying (a copy would drop a "__proto__" key instead of naming it).
    schema: z
      .custom<Record<string, unknown>>(() => true)
      .superRefine((v, ctx) => {
        const problem = objectProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .meta({ type: "object", additionalProperties: true }),
    sqlType: "jsonb",
    fromCsv: (c) => {
      try {
        return JSON.parse(c);
      } catch {
        throw new Error("is not valid JSON");
      }
    },
    toCell: (v) => (v === undefined || v === null ? null : JSON.stringify(v)),
  };
}

/**
 * A deal's own history as the CRM keeps it (field history): each entry the
 * time of a change and the values from then on. What negotiation friction is
 * judged on (a close date that slips, a stage that moves back, a discount
 * asked for), point in time. At most 500 entries.
 */
export function dealHistory(): Field {
  const ts = timestamp();
  const day = date();
  const entry = z.strictObject(
    {
      at: ts.schema,
      stage: storable(z.string().max(200, "must be at most 200 characters")).nullish(),
      close_date: day.schema.nullish(),
      discount_requested_pct: z.number().min(0).max(100).nullish(),
      amount: z.number().min(0).nullish(),
    },
    {
      error: (iss) =>
        iss.code === "unrecognized_keys" ? "unknown field in a history entry" : "expected an object",
    },
  );
  return {
    schema: z
      .array(entry, { error: "expected a list of {at, stage, close_date, discount_requested_pct, amount}" })
      .max(500, "must have at most 500 entries"),
    sqlType: "jsonb",
    fromCsv: (c) => {
      const t = c.trim();
      if (t === "") return [];
      try {
        return JSON.parse(t);
      } catch {
        throw new Error("is not a valid JSON list");
      }
    },
    toCell: (v) =>
      Array.isArray(v)
        ? JSON.stringify(
            (v as Record<string, unknown>[])
              .map((e) => ({
                ...e,
                at: ts.toCell(e.at),
                close_date: e.close_date ? day.toCell(e.close_date) : null,
              }))
              .sort((a, b) => String(a.at).localeCompare(String(b.at))),
          )
        : null,
  };
}
