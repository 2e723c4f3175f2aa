import { statSync } from "node:fs";
import { extname } from "node:path";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import type { Entity } from "./entities.js";
import { type FileFormat, fileItems } from "./file-items.js";
import { importInWorker } from "./parallel.js";
import { type ImportOptions, type ImportResult, importRecords } from "./run.js";

export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  if (ext === ".json") return "json";
  throw new AppError("bad_request", `cannot tell the format of ${path}: use .csv, .ndjson, .jsonl or .json`);
}

export interface FileImportResult extends ImportResult {
  ignoredColumns: string[];
}

export interface FileImportOptions extends ImportOptions {
  /** Files at least this large (CSV, NDJSON) are parsed on a worker thread. Default 16 MB. */
  parallelFrom?: number;
}

/** Imports one file of one entity, streaming CSV and NDJSON from disk. */
export async function importFile(
  db: Db,
  entity: Entity,
  path: string,
  opts: FileImportOptions = {},
): Promise<FileImportResult> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new AppError("not_found", `no such file: ${path}`);
  }
  const format = formatOf(path);
  if (format !== "json" && size >= (opts.parallelFrom ?? 16 * 1024 * 1024)) {
    return importInWorker(db, entity, { path, format }, opts);
  }
  let notes = { ignoredColumns: [] as string[] };
  // A function, so a deadlocked import can read the file again from the start.
  const result = await importRecords(
    db,
    entity,
    () => {
      notes = { ignoredColumns: [] };
      return fileItems(entity, path, format, notes);
    },
    opts,
  );
  return { ...result, ignoredColumns: notes.ignoredColumns };
}
