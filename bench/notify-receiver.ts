import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A webhook receiver in its own process (so it does not share the
 * deliverer's two cores): answers every call at once, counts calls per
 * `webhook-id`, and records when each first arrived against the event's own
 * time (the body's `timestamp`). Its answers are scripted by mode:
 * `ok` 200 always; `fail3` 500 to the first three calls of each id, then 200;
 * `down` 503 always. The parent asks over IPC: {report: true}.
 */
const mode = process.argv[2] ?? "ok";
const calls = new Map<string, number>();
const latencies: number[] = [];
let total = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    total++;
    const id = String(req.headers["webhook-id"] ?? "");
    const n = (calls.get(id) ?? 0) + 1;
    calls.set(id, n);
    const failing = mode === "down" || (mode === "fail3" && n <= 3);
    if (!failing && n === 1 + (mode === "fail3" ? 3 : 0)) {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { timestamp?: string };
        if (body.timestamp) latencies.push(Date.now() - Date.parse(body.timestamp));
      } catch {
        // not JSON: no latency to record
      }
    }
    res.writeHead(failing ? (mode === "down" ? 503 : 500) : 200, { "content-type": "text/plain" });
    res.end(failing ? "not now" : "ok");
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on("message", (m: { report?: boolean; reset?: boolean }) => {
  if (m.reset) {
    calls.clear();
    latencies.length = 0;
    total = 0;
  }
  if (m.report) {
    const successes =
      mode === "down" ? 0 : [...calls.values()].filter((n) => n > (mode === "fail3" ? 3 : 0)).length;
    process.send?.({ report: { total, ids: calls.size, delivered_ids: successes, latencies } });
  }
});
process.on("disconnect", () => process.exit(0));
