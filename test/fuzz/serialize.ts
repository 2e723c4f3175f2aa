/**
 * Records as ordered key/value lists (so a key like "__proto__" is just a
 * key), and their JSON, NDJSON and CSV texts with the line each record is on.
 */

/** A value given as its JSON text (1e400, a 10,000-deep object), and optionally its CSV cell. */
export class Raw {
  constructor(
    readonly json: string,
    readonly csv: string = json,
  ) {}
}

/** A field left out of a record. */
export const ABSENT: unique symbol = Symbol("absent");

export type Entries = [string, unknown][];

export type Format = "json" | "records" | "ndjson" | "csv";

export function jsonValue(v: unknown): string {
  if (v instanceof Raw) return v.json;
  return JSON.stringify(v) ?? "null";
}

export function recordJson(entries: Entries): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`).join(",")}}`;
}

export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s =
    v instanceof Raw
      ? v.csv
      : typeof v === "string"
        ? v
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must be quoted.
  return /[",\r\n\u0000-\u001f]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface Text {
  text: string;
  /** Per record: the first and last 1-based line it occupies (NDJSON and CSV). */
  lines?: [number, number][];
}

export interface TextOptions {
  bom?: boolean;
  crlf?: boolean;
  /** NDJSON: a blank line after every n-th record (blank lines are not records). */
  blankEvery?: number;
  /** CSV: columns to add to the header (ignored columns). */
  extraColumns?: string[];
}

function linesIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

export function toText(records: readonly Entries[], format: Format, opts: TextOptions = {}): Text {
  const bom = opts.bom ? "\uFEFF" : "";
  const nl = opts.crlf ? "\r\n" : "\n";
  if (format === "json") return { text: `${bom}[${records.map(recordJson).join(",")}]` };
  if (format === "records") return { text: `${bom}{"records":[${records.map(recordJson).join(",")}]}` };
  if (format === "ndjson") {
    const out: string[] = [];
    const lines: [number, number][] = [];
    records.forEach((r, i) => {
      out.push(recordJson(r));
      lines.push([out.length, out.length]);
      if (opts.blankEvery && (i + 1) % opts.blankEvery === 0) out.push("");
    });
    return { text: bom + out.join(nl) + nl, lines };
  }
  const header: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const [k] of r)
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
  for (const c of opts.extraColumns ?? []) header.push(c);
  const rows = [header.map(csvCell).join(",")];
  const lines: [number, number][] = [];
  let line = 2;
  for (const r of records) {
    const m = new Map(r);
    const row = header.map((h) => csvCell(m.get(h))).join(",");
    const extra = linesIn(row);
    lines.push([line, line + extra]);
    line += extra + 1;
    rows.push(row);
  }
  return { text: bom + rows.join(nl) + nl, lines };
}

export const CONTENT_TYPE: Record<Format, string> = {
  json: "application/json",
  records: "application/json",
  ndjson: "application/x-ndjson",
  csv: "text/csv",
};

export const EXTENSION: Record<Format, string> = {
  json: "json",
  records: "json",
  ndjson: "ndjson",
  csv: "csv",
};

const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped.
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A short, printable excerpt of a value or text for a report (control characters and lone surrogates as \uXXXX). */
export function excerptOf(v: unknown, max = 160): string {
  const s = typeof v === "string" ? v : v instanceof Raw ? v.json : (JSON.stringify(v) ?? String(v));
  const shown = s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
  return shown.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
