import { audit } from "../auth/audit.js";
import type { Actor } from "../auth/principal.js";
import { AppError } from "../errors.js";
import { excerpt, textProblem } from "../ingest/safe-text.js";
import type { Queryable } from "../store/index.js";
import type { Competitor } from "./text/index.js";

export type { Competitor };

export const MAX_COMPETITORS = 200;
export const MAX_ALIASES = 50;
const MAX_NAME = 200;

/** The competitors text analysis looks for, by name. */
export async function listCompetitors(q: Queryable): Promise<Competitor[]> {
  const rows = await q.query<{ name: string; aliases: string[] }>(
    "SELECT name, aliases FROM competitors ORDER BY lower(name), name",
  );
  return rows.map((r) => ({ name: r.name, aliases: r.aliases ?? [] }));
}

type Problem = { field: string; message: string };

function nameProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return "must be a string";
  const t = v.trim();
  if (t.length === 0) return "must not be blank";
  if (t.length > MAX_NAME) return `must be at most ${MAX_NAME} characters (it has ${t.length})`;
  const p = textProblem(t);
  return p ? p : undefined;
}

/**
 * Checks a competitors list (`[{name, aliases}]`): names and aliases 1–200
 * characters, at most 200 competitors and 50 aliases each, and every name
 * and alias different from every other, ignoring case. Throws
 * validation_failed naming each bad field ("[2].aliases[0]"); returns the
 * list trimmed.
 */
export function checkCompetitors(input: unknown): Competitor[] {
  const problems: Problem[] = [];
  if (!Array.isArray(input))
    throw invalid([{ field: "competitors", message: 'must be a list of {"name", "aliases"}' }]);
  if (input.length > MAX_COMPETITORS)
    throw invalid([
      { field: "competitors", message: `at most ${MAX_COMPETITORS} competitors (got ${input.length})` },
    ]);
  const out: Competitor[] = [];
  const seen = new Map<string, string>();
  const unique = (value: string, field: string) => {
    const key = value.toLowerCase();
    const first = seen.get(key);
    if (first) problems.push({ field, message: `"${excerpt(value, 60)}" is already used at ${first}` });
    else seen.set(key, field);
  };
  input.forEach((c: unknown, i: number) => {
    const at = `[${i}]`;
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
      problems.push({ field: at, message: 'must be an object {"name", "aliases"}' });
      return;
    }
    const { name, aliases = [], ...rest } = c as { name?: unknown; aliases?: unknown };
    for (const k of Object.keys(rest)) problems.push({ field: `${at}.${k}`, message: "unknown field" });
    const np = name === undefined ? "is required" : nameProblem(name);
    if (np) problems.push({ field: `${at}.name`, message: np });
    else unique((name as string).trim(), `${at}.name`);
    const list: string[] = [];
    if (aliases === null || !Array.isArray(aliases))
      problems.push({ field: `${at}.aliases`, message: "must be a list of strings" });
    else if (aliases.length > MAX_ALIASES)
      problems.push({
        field: `${at}.aliases`,
        message: `at most ${MAX_ALIASES} aliases (got ${aliases.length})`,
      });
    else
      aliases.forEach((a: unknown, j: number) => {
        const field = `${at}.aliases[${j}]`;
        const ap = nameProblem(a);
        if (ap) problems.push({ field, message: ap });
        else {
          unique((a as string).trim(), field);
          list.push((a as string).trim());
        }
      });
    if (!np) out.push({ name: (name as string).trim(), aliases: list });
  });
  if (problems.length) throw invalid(problems);
  return out;
}

function invalid(details: Problem[]): AppError {
  const shown = details.slice(0, 100);
  return new AppError(
    "validation_failed",
    `invalid competitors: ${shown
      .slice(0, 5)
      .map((d) => `${d.field} ${d.message}`)
      .join("; ")}${details.length > 5 ? "; …" : ""}`,
    { details: shown, total: details.length },
  );
}

/** A list as text that ignores order, to tell whether a change changes anything. */
const canonical = (list: readonly Competitor[]) =>
  JSON.stringify(
    list.map((c) => [c.name, c.aliases] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

/**
 * Replaces the competitors with `list` (checked), audited, in `tx`. Returns
 * the list as stored and whether it changed (a change calls for the stored
 * text to be read again: redetectText).
 */
export async function setCompetitors(
  tx: Queryable,
  list: unknown,
  actor: Actor,
): Promise<{ competitors: Competitor[]; changed: boolean }> {
  const next = checkCompetitors(list);
  // Serialise concurrent changes: each replaces the whole list.
  await tx.query("LOCK TABLE competitors IN SHARE ROW EXCLUSIVE MODE");
  const before = await listCompetitors(tx);
  if (canonical(before) === canonical(next)) return { competitors: before, changed: false };
  await tx.query("DELETE FROM competitors WHERE NOT (name = ANY($1::text[]))", [next.map((c) => c.name)]);
  await tx.query(
    `INSERT INTO competitors (name, aliases)
     SELECT c->>'name', ARRAY(SELECT jsonb_array_elements_text(c->'aliases'))
     FROM jsonb_array_elements($1::jsonb) c
     ON CONFLICT (name) DO UPDATE SET aliases = EXCLUDED.aliases, updated_at = now()
     WHERE competitors.aliases IS DISTINCT FROM EXCLUDED.aliases`,
    [JSON.stringify(next)],
  );
  const after = await listCompetitors(tx);
  await audit(tx, actor, "competitors.set", { subjectType: "competitors", before, after });
  return { competitors: after, changed: true };
}
