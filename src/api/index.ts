export { isLoopback } from "./host-policy.js";
export type { OnIngested } from "./ingest-routes.js";
export { buildServer, type ServerDeps, VERSION } from "./server.js";
