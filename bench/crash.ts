import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { backfillMoments, backfillScenario } from "../test/crash/backfill-scenario.js";
import { errorText } from "../test/crash/common.js";
import { IMPORT_MOMENTS, importScenario } from "../test/crash/import-scenario.js";
import { pickMoments, type ScenarioReport } from "../test/crash/moments.js";
import { SERVER_MOMENTS, serverScenario } from "../test/crash/server-scenario.js";
import type { StoreKind } from "../test/crash/stores.js";
import { argValue } from "./store-for-bench.js";

const OUT = fileURLToPath(new URL("./out/", import.meta.url));

/**
 * kill -9 of real `keepwell` processes at several moments, on each store:
 *   1. `import events` of a large NDJSON file (--events, default 1,000,000)
 *   2. `score --backfill` of a simulated company (--company-accounts × --months)
 *   3. `serve` during large POSTs of events (--body-mb)
 * then whether the store held all or nothing and a re-run completed exactly.
 * One JSON line per scenario and store; progress on stderr.
 *
 *   npm run bench -- crash [--events 1000000] [--store pglite,postgres] [--moments 5]
 *                          [--scenario import,backfill,server] [--accounts 2000]
 *                          [--company-accounts 500] [--months 24] [--body-mb 40]
 */
export async function main(args: string[]): Promise<void> {
  const events = Number(argValue(args, "events", "1000000"));
  const accounts = Number(argValue(args, "accounts", "2000"));
  const stores = argValue(args, "store", "pglite,postgres").split(",") as StoreKind[];
  const moments = Number(argValue(args, "moments", "5"));
  const scenarios = argValue(args, "scenario", "import,backfill,server").split(",");
  const companyAccounts = Number(argValue(args, "company-accounts", "500"));
  const months = Number(argValue(args, "months", "24"));
  const bodyMb = Number(argValue(args, "body-mb", "40"));
  mkdirSync(OUT, { recursive: true });
  const log = (line: string) => process.stderr.write(`# ${line}\n`);
  let failed = false;

  const runs: Record<string, (store: StoreKind) => Promise<ScenarioReport>> = {
    import: (store) =>
      importScenario(store, {
        events,
        accounts,
        moments: pickMoments(IMPORT_MOMENTS, moments),
        dir: OUT,
        probeOpen: true,
        reference: true,
        log,
      }),
    backfill: (store) =>
      backfillScenario(store, {
        accounts: companyAccounts,
        months,
        moments: pickMoments(backfillMoments(months), moments),
        reference: true,
        log,
      }),
    server: (store) =>
      serverScenario(store, {
        bodyMb,
        accounts: 50,
        moments: pickMoments(SERVER_MOMENTS, moments, "import"),
        log,
      }),
  };

  for (const store of stores) {
    for (const name of scenarios) {
      const run = runs[name];
      if (!run) throw new Error(`unknown scenario ${name}: use ${Object.keys(runs).join(",")}`);
      try {
        const r = await run(store);
        if (r.problems.length) failed = true;
        console.log(JSON.stringify(r));
      } catch (err) {
        failed = true;
        console.log(JSON.stringify({ scenario: name, store, error: errorText(err) }));
      }
    }
  }
  if (failed) process.exitCode = 1;
}
