export { buildServer, type ServerDeps, VERSION } from "./server.js";
export type { OnIngested } from "./ingest-routes.js";
