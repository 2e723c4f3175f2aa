import type { Cell } from "./port.js";

/** Escapes one value for COPY's text format (tab-separated, \N for null). */
export function copyText(v: Cell): string {
  if (v === null) return "\\N";
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** Yields COPY text in chunks of about 1 MB, so a large batch never becomes one giant string. */
export function* copyChunks(rows: readonly (readonly Cell[])[]): Generator<string> {
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
