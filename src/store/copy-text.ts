import type { BulkRows, Cell } from "./port.js";

const SPECIAL = /[\\\t\n\r]/;

/** Escapes one value for COPY's text format (tab-separated, \N for null). */
export function copyText(v: Cell | undefined): string {
  if (v === null || v === undefined) return "\\N";
  if (!SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/**
 * Yields COPY text in chunks of about 1 MB, so a large batch never becomes one
 * giant string. Lines are collected and joined once per chunk: several times
 * faster than growing one string.
 */
export function* copyChunks(rows: BulkRows): Generator<string> {
  if ("copy" in rows) {
    yield* rows.copy;
    return;
  }
  const lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    let line = copyText(row[0]);
    for (let i = 1; i < row.length; i++) line = `${line}\t${copyText(row[i])}`;
    lines.push(line);
    size += line.length;
    if (size > 1 << 20) {
      yield `${lines.join("\n")}\n`;
      lines.length = 0;
      size = 0;
    }
  }
  if (lines.length) yield `${lines.join("\n")}\n`;
}

export const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}

/** Encodes cells as COPY text chunks (done off the main thread by the import worker). */
export function encodeRows(rows: readonly (readonly Cell[])[]): { copy: string[]; count: number } {
  return { copy: [...copyChunks(rows)], count: rows.length };
}
