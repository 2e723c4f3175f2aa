/**
 * Benchmarks: `npm run bench -- <name> [options]`. Each prints comparable
 * figures; none is a test.
 */
const benches: Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>> = {
  ingest: () => import("./ingest.js"),
  simulate: () => import("./simulate.js"),
  score: () => import("./score.js"),
  predict: () => import("./predict.js"),
  dashboard: () => import("./dashboard.js"),
  lock: () => import("./lock.js"),
  healthz: () => import("./healthz.js"),
  auth: () => import("./auth.js"),
  fuzz: () => import("./fuzz.js"),
  crash: () => import("./crash.js"),
  playbooks: () => import("./playbooks.js"),
  notify: () => import("./notify.js"),
  signals: () => import("./signals.js"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
  process.exit(2);
}
await (await load()).main(args);
