/**
 * The probe of bench/healthz.ts, on its own thread so the client's own work
 * (building and sending a 60 MB body) never delays or hides a probe: GET
 * `url` every `everyMs` until told to stop, then post the latencies.
 */
import { parentPort, workerData } from "node:worker_threads";

const { url, everyMs } = workerData as { url: string; everyMs: number };
let running = true;
parentPort!.on("message", () => {
  running = false;
});
const latencies: number[] = [];
while (running) {
  const t = performance.now();
  const r = await fetch(url);
  await r.text();
  latencies.push(performance.now() - t);
  await new Promise((res) => setTimeout(res, everyMs));
}
parentPort!.postMessage(latencies);
