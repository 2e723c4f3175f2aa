export { columnOf, ENTITIES, ENTITY_NAMES, type Entity, type EntityName, isEntityName } from "./entities.js";
export type { FileFormat } from "./file-items.js";
export { type FileImportResult, formatOf, importFile } from "./files.js";
export { INLINE_BODY_BYTES, importBody } from "./import-body.js";
export { describeIssue, type Issue, MAX_ISSUES } from "./issues.js";
export { csvRecords, type Item, jsonRecords, ndjsonRecords, ndjsonTextRecords } from "./readers.js";
export { ImportRejected } from "./rejected.js";
export {
  type ImportCounts,
  type ImportOptions,
  type ImportResult,
  type ItemSource,
  importRecords,
} from "./run.js";
export { excerpt, textProblem } from "./safe-text.js";
export { entityColumns } from "./validate.js";
