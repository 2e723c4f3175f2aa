import type { Readable } from "node:stream";
import { parse as parseCsv } from "csv-parse";
import type { Entity } from "./entities.js";
import type { Issue } from "./issues.js";
import { csvToRecord } from "./validate.js";

/**
 * One input record, or the reason it could not even be read. Readers yield
 * them in arrays (a chunk of input at a time): one await per record would
 * cost more than parsing it.
 */
export type Item =
  | { record: number; line?: number; value: Record<string, unknown> | unknown; issues?: undefined }
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
  for await (const chunk of input) {
    const text = rest + (typeof chunk === "string" ? chunk : chunk.toString("utf8"));
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
  const lines = text.split("\n");
  for (let start = 0; start < lines.length; start += 10_000)
    yield parseLines(lines.slice(start, start + 10_000), state);
}

export interface CsvNotes {
  /** Header columns that are not fields of the entity (ignored). */
  ignoredColumns: string[];
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
  const parser = parseCsv({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((h) => h.trim());
      notes.ignoredColumns.push(...names.filter((h) => !(h in entity.fields)));
      return names;
    },
    skip_empty_lines: true,
    info: true,
  });
  if (typeof input === "string") parser.end(input);
  else input.pipe(parser);
  let record = 0;
  let items: Item[] = [];
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      const where = { record: record++, line: row.info.lines };
      const { record: value, issues } = csvToRecord(entity, row.record, where);
      items.push(issues.length ? { ...where, issues } : { ...where, value });
      if (items.length >= 10_000) {
        yield items;
        items = [];
      }
    }
  } catch (err) {
    const e = err as Error & { lines?: number };
    const where = { record, line: e.lines };
    items.push({ ...where, issues: [{ ...where, field: "", message: `malformed CSV: ${e.message}` }] });
  }
  if (items.length) yield items;
}
