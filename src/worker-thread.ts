import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * Starts the worker script `name` that sits beside the calling module
 * (`from` is its import.meta.url): the built `.js` file, or from the
 * TypeScript source (tests, tsx, a checkout) a boot that registers tsx's
 * loader and then imports the `.ts` script, as `node --import tsx` would.
 */
export function startWorker(from: string, name: string, workerData: unknown): Worker {
  // The parent's options, but not how its own entry was given (a worker's is a file or the boot below).
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--input-type"));
  if (!from.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, from), { workerData, execArgv });
  // tsx's ESM API (the require condition resolves to its .cjs twin).
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  );
  const script = new URL(`./${name}.ts`, from);
  const boot = `import(${JSON.stringify(api.href)}).then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(boot, { eval: true, workerData, execArgv });
}
