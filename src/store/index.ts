export { encodeRows } from "./copy-text.js";
export { groupMatch, groupName, NO_GROUP } from "./group-filter.js";
export { loadMigrations, migrate } from "./migrate.js";
export { openStore, type StoreConfig } from "./open.js";
export { dumpPglite, openPglite } from "./pglite.js";
export type { BulkRows, Cell, Db, EncodedRows, Queryable, Row } from "./port.js";
export { quoteIdent, rowCount } from "./port.js";
export { openPostgres } from "./postgres.js";
