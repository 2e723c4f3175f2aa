export { ENTITIES, ENTITY_NAMES, type Entity, type EntityName, isEntityName, columnOf } from "./entities.js";
export { importRecords, type ImportCounts, type ImportResult, type ImportOptions } from "./run.js";
export { importFile, formatOf, type FileImportResult } from "./files.js";
export { csvRecords, jsonRecords, ndjsonRecords, ndjsonTextRecords, type Item } from "./readers.js";
export { ImportRejected } from "./rejected.js";
export { type Issue, describeIssue, MAX_ISSUES } from "./issues.js";
export { entityColumns } from "./validate.js";
