export { loadMigrations, migrate } from "./migrate.js";
export { openStore, type StoreConfig } from "./open.js";
export { dumpPglite, openPglite } from "./pglite.js";
export type { Cell, Db, Queryable, Row } from "./port.js";
export { quoteIdent } from "./port.js";
export { openPostgres } from "./postgres.js";
