/**
 * Every GET route of the running server, from its OpenAPI document at
 * /docs/json, with NUL and garbage in each path and query parameter. A NUL
 * (or other unstorable text) and a value its schema forbids must be a 4xx;
 * free text may be served, but never a 500.
 */
import type { FastifyInstance } from "fastify";
import type { Rng } from "./prng.js";
import { answerExcerpt, type Tally } from "./verdict.js";

interface Param {
  in: "path" | "query";
  name: string;
  description?: string;
  schema?: {
    type?: string;
    enum?: unknown[];
    minimum?: number;
    maximum?: number;
    format?: string;
    maxLength?: number;
  };
}

interface Probe {
  url: string;
  expect: "4xx" | "not_5xx";
  what: string;
}

/** Unstorable text, percent-encoded: NUL and other C0 controls. */
const UNSTORABLE = ["%00", "acc_1%00", "%00%00", "a%01b", "%1F", "x%00y"];
/** Served or refused, never a 500: emoji, SQL wildcards and quotes, invalid UTF-8 (an encoded surrogate, an overlong NUL). */
const FREE_TEXT = [
  "%ED%A0%80",
  "%C0%80",
  "%E0%A4%A",
  "%ZZ",
  "%F0%9F%9A%80",
  "%25",
  "_%25",
  "'%20OR%201%3D1%20--",
  "%20",
  "..%2F..%2Fetc",
  "a".repeat(5000),
];

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** Cursors no server gives out, whatever the sort: not base64 JSON, the wrong shape, an object or a NUL inside. */
const FORGED_CURSORS = [
  "!!!",
  "abc",
  "%00",
  b64({}),
  b64("x"),
  b64([1, 2, 3]),
  b64([{}, "acc_1"]),
  b64([[1, 2], "acc_1"]),
  b64(["\u0000", "acc_1"]),
  b64([1, "acc\u0000"]),
];
/** Cursors of the wrong type for a numeric or date sort. */
const MISTYPED_CURSORS = [b64(["not a number", "acc_1"]), b64(["2025-99-99", "acc_1"]), b64([true, "acc_1"])];
const TYPED_SORT = /score|seats|arr|trend|completeness|probability|date/;

function badValues(p: Param): { value: string; expect: Probe["expect"]; what: string }[] {
  const s = p.schema ?? {};
  const out: { value: string; expect: Probe["expect"]; what: string }[] = UNSTORABLE.map((value) => ({
    value,
    expect: "4xx",
    what: "unstorable text",
  }));
  if (s.type === "integer" || s.type === "number") {
    for (const value of ["abc", "1e400", "NaN", "Infinity", "99999999999999999999999", "0x10", "1,000", "-"])
      out.push({ value, expect: "4xx", what: "not a number" });
    if (s.type === "integer") out.push({ value: "1.5", expect: "4xx", what: "a fraction" });
    if (s.minimum !== undefined)
      out.push({ value: String(s.minimum - 1), expect: "4xx", what: "below the minimum" });
    if (s.maximum !== undefined)
      out.push({ value: String(s.maximum + 1), expect: "4xx", what: "above the maximum" });
  } else if (s.enum) {
    for (const value of ["bogus", String(s.enum[0]).toUpperCase(), "%F0%9F%99%82", `${s.enum[0]}%20`])
      out.push({ value, expect: "4xx", what: "not in the enum" });
  } else if (s.format === "date" || s.format === "date-time") {
    for (const value of ["2025-02-30", "not-a-date", "0000-01-01", "10000-01-01"])
      out.push({ value, expect: "4xx", what: "not a date" });
  } else if (p.name === "cursor") {
    for (const value of FORGED_CURSORS) out.push({ value, expect: "4xx", what: "a forged cursor" });
  } else if (p.name === "sort") {
    for (const value of ["bogus", "-", "--score", "score,name", "score;drop", "%F0%9F%99%82"])
      out.push({ value, expect: "4xx", what: "not a sort" });
  } else if (p.name === "band") {
    for (const value of ["bogus", "healthy,bogus", "HEALTHY"])
      out.push({ value, expect: "4xx", what: "not a band" });
  }
  if (!s.enum && s.type !== "integer" && s.type !== "number") {
    for (const value of FREE_TEXT) out.push({ value, expect: "not_5xx", what: "free text" });
  }
  if (s.type === "string" && s.maxLength !== undefined) {
    out.push({ value: "q".repeat(s.maxLength + 1), expect: "4xx", what: "over the max length" });
  }
  return out;
}

/** The valid sorts of a sort parameter, from its description ("one of a, b, c; prefix with -"). */
function sortsOf(p: Param | undefined): string[] {
  const m = /one of ([^;]+)/.exec(p?.description ?? "");
  return m ? m[1]!.split(",").map((s) => s.trim()) : [];
}

export async function getRouteProbes(app: FastifyInstance, validId: string): Promise<Probe[]> {
  const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json() as {
    paths: Record<string, Record<string, { parameters?: Param[] }>>;
  };
  const probes: Probe[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    const get = ops.get;
    if (!get) continue;
    const params = get.parameters ?? [];
    const fill = (name: string, value: string) =>
      path.replace(/\{([^}]+)\}/g, (_m, n: string) => (n === name ? value : encodeURIComponent(validId)));
    const base = fill("", "");
    probes.push({ url: base, expect: "not_5xx", what: "valid" });
    for (const p of params) {
      for (const v of badValues(p)) {
        const url = p.in === "path" ? fill(p.name, v.value) : `${base}?${p.name}=${v.value}`;
        probes.push({
          url,
          expect: v.expect,
          what: `${p.in} ${p.name}: ${v.what} (${v.value.slice(0, 40)})`,
        });
      }
      if (p.in === "query")
        probes.push({
          url: `${base}?${p.name}=1&${p.name}=2`,
          expect: "not_5xx",
          what: `query ${p.name}: repeated`,
        });
    }
    probes.push({ url: `${base}?%00=1`, expect: "not_5xx", what: "a NUL in a parameter name" });
    const sort = params.find((p) => p.name === "sort");
    if (params.some((p) => p.name === "cursor"))
      for (const s of sortsOf(sort))
        for (const c of [...FORGED_CURSORS.slice(3), ...(TYPED_SORT.test(s) ? MISTYPED_CURSORS : [])])
          for (const dir of ["", "-"])
            probes.push({
              url: `${base}?sort=${dir}${s}&cursor=${c}`,
              expect: "4xx",
              what: `a forged cursor with sort ${dir}${s} (${c})`,
            });
  }
  return probes;
}

/** Runs the probes (a sample of `max` when given, NUL probes always kept). */
export async function runGetRoutes(
  app: FastifyInstance,
  tally: Tally,
  rng: Rng,
  validId: string,
  max?: number,
): Promise<number> {
  let probes = await getRouteProbes(app, validId);
  if (max !== undefined && probes.length > max) {
    const nul = probes.filter((p) => p.what.includes("unstorable"));
    const rest = rng
      .shuffle(probes.filter((p) => !p.what.includes("unstorable")))
      .slice(0, Math.max(0, max - nul.length));
    probes = [...nul, ...rest];
  }
  for (const p of probes) {
    let status: number | "crash";
    let answer: string;
    try {
      const res = await app.inject({ method: "GET", url: p.url });
      status = res.statusCode;
      answer = res.body.slice(0, 400);
    } catch (err) {
      status = "crash";
      answer = String((err as Error).stack ?? err).slice(0, 400);
    }
    const cause =
      status === "crash"
        ? "crash"
        : status >= 500
          ? "status_500"
          : p.expect === "4xx" && (status < 400 || status >= 500)
            ? "accepted"
            : undefined;
    if (!cause) tally.ok();
    else
      tally.fail(cause, {
        channel: "GET",
        label: p.what,
        input: `GET ${p.url.slice(0, 300)}`,
        status,
        answer: answerExcerpt({ status, body: undefined, text: answer }),
      });
  }
  return probes.length;
}
