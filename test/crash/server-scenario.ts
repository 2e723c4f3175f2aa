import { type Counts, errorText, expectedCounts, round, type ScenarioOptions, sameCounts } from "./common.js";
import { describeState, eventState, wholeOf } from "./event-state.js";
import { adminKey, eventsViaApi, type PostHook, post, type Server, startServer, stopServer } from "./http.js";
import { accountIds, type EventSpec, eventsBody, eventsForBytes, totalsOf } from "./inputs.js";
import { type Moment, needsTiming, reportOf, type ScenarioReport, type Trial } from "./moments.js";
import { newStore, type StoreKind } from "./stores.js";

export interface ServerScenarioOptions extends ScenarioOptions {
  /** Size of each POST body (JSON array of events), in MB. */
  bodyMb: number;
  /** Accounts per request. */
  accounts: number;
  moments: Moment[];
}

/** The moments the full bench picks from, in order. */
export const SERVER_MOMENTS: Moment[] = ["upload:0.5", "import:0.1", "import:0.5", "import:0.9", "response"];

function hookOf(moment: Moment, importS: number | undefined): PostHook {
  const [kind, a] = moment.split(":");
  if (kind === "upload") return { at: "upload", share: Number(a) };
  if (kind === "response") return { at: "response" };
  if (kind === "import" && importS !== undefined) return { at: "uploaded", afterS: Number(a) * importS };
  throw new Error(`not a server kill moment: ${moment}`);
}

/**
 * Scenario 3: `keepwell serve` SIGKILLed while it takes a large POST of
 * events. Each request has accounts of its own, so one store and one
 * running server serve every kill in turn: kill, restart (the store must
 * open; on PGlite the new server takes over the dead one's lock), read the
 * request's events through the API (none or all), re-send it (exact counts),
 * then the next request. At the end, with the server stopped, a fresh
 * connection checks every request's events and roll-ups.
 */
export async function serverScenario(kind: StoreKind, opts: ServerScenarioOptions): Promise<ScenarioReport> {
  const began = performance.now();
  const log = opts.log ?? (() => undefined);
  const s = await newStore(kind, "server");
  const problems: string[] = [];
  const trials: Trial[] = [];
  const prefixes = ["srvref_", ...opts.moments.map((_, i) => `srv${i}_`)];
  const specs: EventSpec[] = prefixes.map((prefix) => ({
    prefix,
    accounts: opts.accounts,
    events: eventsForBytes(prefix, opts.accounts, opts.bodyMb * 1e6),
  }));
  const path = "/api/v1/events";
  let server: Server | undefined;
  let importS: number | undefined;
  const used: number[] = [];
  try {
    const key = await adminKey(s);
    server = await startServer(s);
    const accounts = prefixes.flatMap((p) => accountIds(p, opts.accounts).map((id) => ({ id, name: id })));
    const made = await post(server.port, "/api/v1/accounts", Buffer.from(JSON.stringify(accounts)), key);
    if (made.status !== 200) throw new Error(`POST /api/v1/accounts answered ${made.status} ${made.body}`);
    log(
      `server on ${kind}: ${opts.bodyMb} MB POSTs of ${specs[0]!.events} events; serving in ${round(server.startedIn, 1)} s`,
    );
    const curl = `curl -X POST localhost:PORT${path} -H 'authorization: Bearer KEY' -H 'content-type: application/json' --data-binary @BODY.json`;

    for (const [i, moment] of opts.moments.entries()) {
      server ??= await startServer(s);
      if (needsTiming(moment) && importS === undefined) {
        // A complete request first, to time the import.
        const ref = post(server.port, path, eventsBody(specs[0]!), key);
        const r = await ref;
        importS = r.importS;
        used.push(0);
        log(
          `  uninterrupted POST: ${r.status} ${r.body} (${round(r.importS ?? 0, 1)} s from upload to response)`,
        );
        if (
          r.status !== 200 ||
          !sameCounts(JSON.parse(r.body ?? "{}"), expectedCounts("none", specs[0]!.events))
        )
          problems.push(`server on ${kind}: an uninterrupted ${curl} answered ${r.status} ${r.body}`);
      }
      const spec = specs[i + 1]!;
      used.push(i + 1);
      const body = eventsBody(spec);
      const ids = accountIds(spec.prefix, opts.accounts);
      const trial: Trial = {
        moment,
        killed: false,
        at_s: 0,
        mid_work: false,
        state: "?",
        rerun_exact: false,
      };
      trials.push(trial);
      const where = () =>
        `server on ${kind}: SIGKILL of \`keepwell serve\` at ${moment} (${trial.at_s} s into the request) of ${curl} (${Math.round(body.length / 1e6)} MB, ${spec.events} events of ${opts.accounts} known accounts)`;
      try {
        const victim: Server = server!;
        let killed = false;
        const outcome = await post(victim.port, path, body, key, {
          when: hookOf(moment, importS),
          run: async () => {
            killed = victim.proc.alive() && victim.proc.child.kill("SIGKILL");
            await victim.proc.exited;
          },
        });
        if (!killed) await stopServer(victim);
        await s.settle();
        trial.killed = killed;
        trial.at_s = round(outcome.hookAt ?? 0);
        trial.mid_work = killed && outcome.status === undefined;
        if (kind === "pglite") trial.stale_lock = killed && s.lockOwner() === victim.proc.pid;
        server = await startServer(s);
        const held = await eventsViaApi(server.port, key, ids);
        trial.state = held === 0 ? "none" : held === spec.events ? "all" : "partial";
        if (trial.state === "partial")
          problems.push(`${where()} left ${held} of the request's ${spec.events} events`);
        const again = await post(server.port, path, body, key);
        if (trial.state === "none" && importS === undefined) importS = again.importS;
        const counts = again.status === 200 ? (JSON.parse(again.body ?? "{}") as Counts) : undefined;
        const after = await eventsViaApi(server.port, key, ids);
        const want = expectedCounts(trial.state, spec.events);
        trial.rerun_exact = (want === undefined || sameCounts(counts, want)) && after === spec.events;
        if (!trial.rerun_exact)
          problems.push(
            `${where()}; the store then held ${held} events, and re-sending answered ${again.status} ${again.body ?? again.error} (expected ${JSON.stringify(want)}) and left ${after}`,
          );
        log(
          `  ${moment}: ${killed ? `killed at ${trial.at_s} s` : "answered first"} (${outcome.uploaded ? "uploaded" : "mid-upload"}, ${outcome.status ? `answered ${outcome.status}` : "no answer"}); held ${trial.state}; re-send ${trial.rerun_exact ? "exact" : "NOT exact"} (${round(again.importS ?? 0, 1)} s)`,
        );
      } catch (err) {
        problems.push(`${where()}: ${errorText(err)}`);
        log(`  ${moment}: ${errorText(err)}`);
        if (!server?.proc.alive()) server = await startServer(s).catch(() => undefined);
      }
    }
    if (server) await stopServer(server);
    server = undefined;
    // Every request's events and their roll-ups, read through a fresh connection.
    const states = await s.inspect(async (q) => {
      const out = [];
      for (const i of used) out.push({ i, state: await eventState(q, specs[i]!.prefix) });
      return out;
    });
    for (const { i, state } of states) {
      const totals = totalsOf(specs[i]!);
      if (wholeOf(state, totals) === "all") continue;
      const t = trials[i - 1];
      if (t) t.rerun_exact = false;
      problems.push(
        `server on ${kind}: after ${t ? `the kill at ${t.moment} and re-sending` : "the uninterrupted request"}, the store holds ${describeState(state, totals)}`,
      );
    }
  } finally {
    if (server) await stopServer(server).catch(() => undefined);
    await s.dispose();
  }
  return reportOf(
    {
      scenario: "server",
      store: kind,
      size: { body_mb: opts.bodyMb, events_per_request: specs[1]?.events ?? 0, accounts: opts.accounts },
      ...(importS === undefined ? {} : { full_seconds: round(importS) }),
    },
    trials,
    problems,
    began,
  );
}
