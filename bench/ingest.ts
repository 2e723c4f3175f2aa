import { fork } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ENTITIES, importFile, importRecords, jsonRecords } from "../src/ingest/index.js";
import { argValue, type BenchStore, benchStore, peakRssMb } from "./store-for-bench.js";

const OUT = fileURLToPath(new URL("./out/", import.meta.url));

/**
 * Writes N raw product events as NDJSON, streamed, the way a product emits
 * them: in time order, each account's users active on some days with a few
 * events per active day across nine features.
 */
async function writeEvents(path: string, n: number, accounts: number): Promise<void> {
  const out = createWriteStream(path);
  const day0 = Date.UTC(2025, 0, 1);
  const perDay = accounts * 12; // ~12 events per account per day
  let rnd = 42;
  const next = () => {
    rnd = (rnd * 1_103_515_245 + 12_345) % 2_147_483_648;
    return rnd / 2_147_483_648;
  };
  for (let i = 0; i < n; i++) {
    const day = Math.floor(i / perDay);
    const a = Math.floor(next() * accounts);
    const line = `${JSON.stringify({
      id: `evt_${i}`,
      account: `acc_${a}`,
      user: `u_${a}_${Math.floor(next() * 6)}`,
      ts: new Date(day0 + day * 86_400_000 + Math.floor(next() * 86_400_000)).toISOString(),
      name: `feature_${Math.floor(next() * 9)}`,
      value: 1,
    })}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Runs one import in this process and prints one line of figures. */
async function child(store: BenchStore, file: string, accounts: number): Promise<void> {
  const { db, cleanup } = await benchStore(store);
  try {
    const accs = Array.from({ length: accounts }, (_, i) => ({ id: `acc_${i}`, name: `Account ${i}` }));
    await importRecords(db, ENTITIES.accounts, jsonRecords(accs));
    const before = peakRssMb();
    const t0 = performance.now();
    const r = await importFile(db, ENTITIES.events, file);
    const s = (performance.now() - t0) / 1000;
    const n = r.inserted + r.updated + r.unchanged;
    const t1 = performance.now();
    const again = await importFile(db, ENTITIES.events, file);
    const s2 = (performance.now() - t1) / 1000;
    console.log(
      JSON.stringify({
        store,
        events: n,
        seconds: +s.toFixed(2),
        events_per_s: Math.round(n / s),
        reimport_seconds: +s2.toFixed(2),
        reimport_unchanged: again.unchanged,
        peak_rss_mb_before_import: before,
        peak_rss_mb: peakRssMb(),
      }),
    );
  } finally {
    await cleanup();
  }
}

export async function main(args: string[]): Promise<void> {
  if (args[0] === "--child") {
    await child(args[1] as BenchStore, args[2]!, Number(args[3]));
    return;
  }
  const n = Number(argValue(args, "events", "1000000"));
  const accounts = Number(argValue(args, "accounts", "2000"));
  const stores = argValue(args, "store", "pglite,postgres").split(",") as BenchStore[];
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}events-${n}-${accounts}.ndjson`;
  if (!existsSync(file)) await writeEvents(file, n, accounts);
  console.log(
    `# ingest: ${n} events (${Math.round(statSync(file).size / 1e6)} MB NDJSON) over ${accounts} accounts`,
  );
  // Each store in its own process, so the peak memory is the import's own.
  for (const store of stores) {
    const p = fork(
      fileURLToPath(new URL("./run.ts", import.meta.url)),
      ["ingest", "--child", store, file, String(accounts)],
      {
        execArgv: ["--import", "tsx"],
        stdio: "inherit",
      },
    );
    const [code] = await once(p, "exit");
    if (code !== 0) throw new Error(`${store} ingest bench failed`);
  }
}
