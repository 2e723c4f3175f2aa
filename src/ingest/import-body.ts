import type { Db } from "../store/index.js";
import { bodyItems } from "./body-items.js";
import type { Entity } from "./entities.js";
import type { FileFormat } from "./file-items.js";
import { importInWorker } from "./parallel.js";
import { type ImportOptions, type ImportResult, importRecords } from "./run.js";

/**
 * Bodies up to this size are read on the calling thread (a few milliseconds
 * at most); larger ones on a worker thread, so parsing, validation and
 * ticket sentiment never hold the server's event loop.
 */
export const INLINE_BODY_BYTES = 64 * 1024;

/** Imports the records of a request body (JSON, NDJSON or CSV), all or nothing. */
export async function importBody(
  db: Db,
  entity: Entity,
  body: Uint8Array | undefined,
  format: FileFormat,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  if (body && body.byteLength > INLINE_BODY_BYTES) return importInWorker(db, entity, { body, format }, opts);
  return importRecords(db, entity, () => bodyItems(entity, body, format), opts);
}
