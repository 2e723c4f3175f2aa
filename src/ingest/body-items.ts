import type { Entity } from "./entities.js";
import type { FileFormat } from "./file-items.js";
import {
  type CsvNotes,
  csvRecords,
  type Item,
  jsonTextRecords,
  ndjsonTextRecords,
  withoutBom,
} from "./readers.js";

/** A request body's records: the same readers as files, from text in memory. */
export function bodyItems(
  entity: Entity,
  body: Uint8Array | string | undefined,
  format: FileFormat,
  notes: CsvNotes = { ignoredColumns: [] },
): Iterable<Item[]> | AsyncIterable<Item[]> {
  const text = typeof body === "string" ? body : body ? new TextDecoder().decode(body) : "";
  if (format === "csv") return csvRecords(entity, text, notes);
  if (format === "ndjson") return ndjsonTextRecords(withoutBom(text));
  return jsonTextRecords(text);
}
