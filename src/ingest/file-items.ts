import { createReadStream, readFileSync, statSync } from "node:fs";
import { AppError } from "../errors.js";
import type { Entity } from "./entities.js";
import { type CsvNotes, csvRecords, type Item, jsonTextRecords, ndjsonRecords } from "./readers.js";

export type FileFormat = "csv" | "ndjson" | "json";

/** A .json document is read whole; files larger than this should be NDJSON. */
const MAX_JSON_FILE = 512 * 1024 * 1024;

function* jsonFile(path: string): Generator<Item[]> {
  if (statSync(path).size > MAX_JSON_FILE) {
    throw new AppError(
      "payload_too_large",
      `${path} is over 512 MB: write large imports as NDJSON, which streams`,
    );
  }
  yield* jsonTextRecords(readFileSync(path, "utf8"));
}

/** The records of a file, streamed from disk for CSV and NDJSON. */
export function fileItems(
  entity: Entity,
  path: string,
  format: FileFormat,
  notes: CsvNotes = { ignoredColumns: [] },
): AsyncIterable<Item[]> | Iterable<Item[]> {
  const items =
    format === "csv"
      ? csvRecords(entity, createReadStream(path), notes)
      : format === "ndjson"
        ? ndjsonRecords(createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 }))
        : jsonFile(path);
  return items;
}
