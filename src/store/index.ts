export type { Cell, Db, Queryable, Row } from "./port.js";
export { quoteIdent } from "./port.js";
export { openPglite, dumpPglite } from "./pglite.js";
export { openPostgres } from "./postgres.js";
export { migrate, loadMigrations } from "./migrate.js";
export { openStore, type StoreConfig } from "./open.js";
