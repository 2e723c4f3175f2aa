import { createReadStream, readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import type { Entity } from "./entities.js";
import { type CsvNotes, csvRecords, type Item, jsonRecords, ndjsonRecords } from "./readers.js";
import { type ImportOptions, type ImportResult, importRecords } from "./run.js";

export type FileFormat = "csv" | "ndjson" | "json";

export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  if (ext === ".json") return "json";
  throw new AppError("bad_request", `cannot tell the format of ${path}: use .csv, .ndjson, .jsonl or .json`);
}

/** A .json document is read whole; files larger than this should be NDJSON. */
const MAX_JSON_FILE = 512 * 1024 * 1024;

function* jsonFile(path: string): Generator<Item[]> {
  if (statSync(path).size > MAX_JSON_FILE) {
    throw new AppError(
      "payload_too_large",
      `${path} is over 512 MB: write large imports as NDJSON, which streams`,
    );
  }
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") return;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    yield [
      { record: 0, issues: [{ record: 0, field: "", message: `malformed JSON: ${(err as Error).message}` }] },
    ];
    return;
  }
  yield* jsonRecords(doc);
}

export interface FileImportResult extends ImportResult {
  ignoredColumns: string[];
}

/** Imports one file of one entity, streaming CSV and NDJSON from disk. */
export async function importFile(
  db: Db,
  entity: Entity,
  path: string,
  opts: ImportOptions = {},
): Promise<FileImportResult> {
  try {
    statSync(path);
  } catch {
    throw new AppError("not_found", `no such file: ${path}`);
  }
  const notes: CsvNotes = { ignoredColumns: [] };
  const format = formatOf(path);
  const items =
    format === "csv"
      ? csvRecords(entity, createReadStream(path), notes)
      : format === "ndjson"
        ? ndjsonRecords(createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 }))
        : jsonFile(path);
  const result = await importRecords(db, entity, items, opts);
  return { ...result, ignoredColumns: notes.ignoredColumns };
}
