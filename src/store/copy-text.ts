import type { BulkRows, Cell } from "./port.js";

/** Escapes one value for COPY's text format (tab-separated, \N for null). */
export function copyText(v: Cell): string {
  if (v === null) return "\\N";
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** Yields COPY text in chunks of about 1 MB, so a large batch never becomes one giant string. */
export function* copyChunks(rows: BulkRows): Generator<string> {
  if ("copy" in rows) {
    yield* rows.copy;
    return;
  }
  let chunk = "";
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < row.length; i++) line += (i ? "\t" : "") + copyText(row[i] ?? null);
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export const UNIQUE_VIOLATION = "23505";

export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}

/** Encodes cells as COPY text chunks (done off the main thread by the import worker). */
export function encodeRows(rows: readonly (readonly Cell[])[]): { copy: string[]; count: number } {
  return { copy: [...copyChunks(rows)], count: rows.length };
}
