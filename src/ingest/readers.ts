import type { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import type { Entity } from "./entities.js";
import type { Issue } from "./issues.js";
import { excerpt } from "./safe-text.js";
import { csvToRecord } from "./validate.js";

/**
 * One input record, or the reason it could not even be read. Readers yield
 * them in arrays (a chunk of input at a time): one await per record would
 * cost more than parsing it.
 */
export type Item =
  | { record: number; line?: number; value: Record<string, unknown> | unknown; issues?: Issue[] }
  | { record: number; line?: number; value?: undefined; issues: Issue[] };

/** The records of a JSON document: an array, or `{"records": [...]}`. */
export function* jsonRecords(doc: unknown): Generator<Item[]> {
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === "object" && Array.isArray((doc as { records?: unknown }).records)
      ? (doc as { records: unknown[] }).records
      : undefined;
  if (!list) {
    yield [
      {
        record: 0,
        issues: [{ record: 0, field: "", message: 'expected a JSON array of records or {"records": [...]}' }],
      },
    ];
    return;
  }
  for (let start = 0; start < list.length; start += 10_000) {
    yield list.slice(start, start + 10_000).map((value, i) => ({ record: start + i, value }));
  }
}

/** The records of a JSON document given as text (a BOM is ignored); malformed JSON is one problem. */
export function* jsonTextRecords(text: string): Generator<Item[]> {
  const body = withoutBom(text);
  if (body.trim() === "") return;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    const message = `malformed JSON: ${(err as Error).message}`;
    yield [{ record: 0, issues: [{ record: 0, field: "", message }] }];
    return;
  }
  yield* jsonRecords(doc);
}

/** Text without a leading UTF-8 byte order mark (editors on Windows write one). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits NDJSON text into items; `state` carries line and record numbers across chunks. */
function parseLines(lines: string[], state: { line: number; record: number }): Item[] {
  const items: Item[] = [];
  for (const raw of lines) {
    state.line++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line === "" || line.trim() === "") continue;
    const where = { record: state.record++, line: state.line };
    try {
      items.push({ ...where, value: JSON.parse(line) });
    } catch (err) {
      items.push({
        ...where,
        issues: [{ ...where, field: "", message: `malformed JSON: ${(err as Error).message}` }],
      });
    }
  }
  return items;
}

/** Records of an NDJSON stream, a chunk at a time, without holding the stream in memory. */
export async function* ndjsonRecords(input: AsyncIterable<string | Buffer>): AsyncGenerator<Item[]> {
  const state = { line: 0, record: 0 };
  let rest = "";
  let first = true;
  for await (const chunk of input) {
    let text = rest + (typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    if (first) {
      text = withoutBom(text);
      first = false;
    }
    const cut = text.lastIndexOf("\n");
    if (cut < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(cut + 1);
    yield parseLines(text.slice(0, cut).split("\n"), state);
  }
  if (rest !== "") yield parseLines([rest], state);
}

/** Records of an NDJSON text already in memory (an HTTP body). */
export function* ndjsonTextRecords(text: string): Generator<Item[]> {
  const state = { line: 0, record: 0 };
  const lines = withoutBom(text).split("\n");
  for (let start = 0; start < lines.length; start += 10_000)
    yield parseLines(lines.slice(start, start + 10_000), state);
}

export interface CsvNotes {
  /** Header columns that are not fields of the entity (ignored). */
  ignoredColumns: string[];
}

/** A header column that names a field of the entity: where it is, and the field. */
export interface CsvColumn {
  index: number;
  name: string;
}

/**
 * Reads a CSV header: the columns that name fields of `entity` (others are
 * ignored and listed in `notes`). Throws a message when a column is named
 * twice or when no column names a field (not a header of this entity).
 */
export function csvHeader(entity: Entity, header: readonly string[], notes: CsvNotes): CsvColumn[] {
  const names = header.map((h) => h.trim());
  const seen = new Map<string, number>();
  const columns: CsvColumn[] = [];
  names.forEach((name, index) => {
    if (name === "") return;
    const first = seen.get(name);
    if (first !== undefined)
      throw Object.assign(
        new Error(`the header names ${excerpt(name)} twice (columns ${first + 1} and ${index + 1})`),
        {
          field: name,
        },
      );
    seen.set(name, index);
    if (Object.hasOwn(entity.fields, name)) columns.push({ index, name });
    else notes.ignoredColumns.push(excerpt(name, 60).slice(1, -1));
  });
  if (columns.length === 0)
    throw new Error(
      `the first line is not a header of ${entity.name}: no column names one of its fields (${Object.keys(entity.fields).join(", ")})`,
    );
  return columns;
}

/**
 * The line a CSV record starts on. csv-parse reports the line a record ends
 * on, and counts a CR LF inside a quoted cell as two lines; this corrects for
 * both, so a record after a multi-line cell is still named by its own line.
 */
class CsvLines {
  /** Spurious lines counted so far (one per CR LF inside a quoted cell). */
  private drift = 0;

  startOf(cells: readonly string[], endLine: number): number {
    let inside = 0;
    for (const c of cells) {
      if (c.length < 1 || (c.indexOf("\n") < 0 && c.indexOf("\r") < 0)) continue;
      const crlf = c.split("\r\n").length - 1;
      this.drift += crlf;
      inside += (c.match(/\r\n|\r|\n/g) ?? []).length;
    }
    return endLine - this.drift - inside;
  }

  corrected(line: number): number {
    return line - this.drift;
  }
}

/**
 * Records of a CSV stream: columns matched by header name; an empty cell is an
 * absent field. A malformed line stops the read with its line number.
 */
export async function* csvRecords(
  entity: Entity,
  input: Readable | string,
  notes: CsvNotes = { ignoredColumns: [] },
): AsyncGenerator<Item[]> {
  const parser = parseCsv({ bom: true, skip_empty_lines: true, info: true });
  if (typeof input === "string") parser.end(input);
  else input.pipe(parser);
  let record = 0;
  let columns: CsvColumn[] | undefined;
  let items: Item[] = [];
  const lines = new CsvLines();
  try {
    for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = lines.startOf(row.record, row.info.lines);
      if (!columns) {
        try {
          columns = csvHeader(entity, row.record, notes);
        } catch (err) {
          const e = err as Error & { field?: string };
          const where = { record: 0, line };
          yield [{ ...where, issues: [{ ...where, field: e.field ?? "", message: e.message }] }];
          parser.destroy();
          return;
        }
        continue;
      }
      const where = { record: record++, line };
      // A cell that cannot be read is a problem, and the rest of the row is still checked.
      const { record: value, issues } = csvToRecord(entity, columns, row.record, where);
      items.push(issues.length ? { ...where, value, issues } : { ...where, value });
      if (items.length >= 10_000) {
        yield items;
        items = [];
      }
    }
  } catch (err) {
    const e = err as Error & { lines?: number };
    const where = { record, line: e.lines === undefined ? undefined : lines.corrected(e.lines) };
    items.push({ ...where, issues: [{ ...where, field: "", message: `malformed CSV: ${e.message}` }] });
  }
  if (items.length) yield items;
}
