import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { type Actor, audit } from "../auth/index.js";
import type { ConfigError } from "../domain/config-parse.js";
import {
  DEFAULT_PLAYBOOKS,
  DEFAULT_PLAYBOOKS_YAML,
  namedUsers,
  type Playbooks,
  parsePlaybooks,
  parsePlaybooksYaml,
} from "../domain/playbooks/index.js";
import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";

export interface PlaybooksVersion {
  version: number;
  playbooks: Playbooks;
  source: string;
  created_at: string;
}

function rejected(errors: ConfigError[], file?: string): AppError {
  return new AppError(
    "validation_failed",
    `${file ? `${file}: ` : ""}the playbooks are not valid: ${errors.length} problem(s)`,
    {
      details: errors.map((e) => ({
        field: e.path,
        message: e.message,
        ...(e.line ? { line: e.line } : {}),
      })),
    },
  );
}

/** Problems a file cannot show by itself: named users who are not (active) users. */
export async function playbookUserProblems(db: Queryable, p: Playbooks): Promise<ConfigError[]> {
  const named = namedUsers(p);
  if (named.length === 0) return [];
  const rows = await db.query<{ email: string }>(
    "SELECT lower(email) AS email FROM users WHERE active AND lower(email) = ANY($1::text[])",
    [named.map((n) => n.email.toLowerCase())],
  );
  const known = new Set(rows.map((r) => r.email));
  return named
    .filter((n) => !known.has(n.email.toLowerCase()))
    .map((n) => ({ path: n.path, message: `${n.email} is not an active user` }));
}

/** Validates playbooks given as an object or YAML text; every problem with its path (and line). */
export async function checkPlaybooks(
  db: Queryable,
  input: unknown,
): Promise<{ ok: true; playbooks: Playbooks } | { ok: false; errors: ConfigError[] }> {
  const r = typeof input === "string" ? parsePlaybooksYaml(input) : parsePlaybooks(input);
  if (!r.ok) return r;
  const errors = await playbookUserProblems(db, r.value);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, playbooks: r.value };
}

/** Validates or throws a 400 that names each path. */
export async function validatePlaybooks(db: Queryable, input: unknown, file?: string): Promise<Playbooks> {
  const r = await checkPlaybooks(db, input);
  if (!r.ok) throw rejected(r.errors, file);
  return r.playbooks;
}

type Row = { version: number; definition: Playbooks; source: string; created_at: string };
const fromRow = (r: Row): PlaybooksVersion => ({
  version: r.version,
  playbooks: r.definition,
  source: r.source,
  created_at: r.created_at,
});

/** The active (newest) version, creating version 1 from the default playbooks on first use. */
export async function activePlaybooks(db: Queryable): Promise<PlaybooksVersion> {
  const [row] = await db.query<Row>(
    "SELECT version, definition, source, created_at FROM playbook_versions ORDER BY version DESC LIMIT 1",
  );
  if (row) return fromRow(row);
  try {
    return (await savePlaybooks(db, DEFAULT_PLAYBOOKS, "default")).saved;
  } catch (err) {
    // Two first uses at once: the other wrote version 1 first.
    if ((err as { code?: string }).code !== "23505") throw err;
    return activePlaybooks(db);
  }
}

/**
 * Makes `playbooks` the active version unless it equals the active one;
 * a change is audited (who, and the version before and after).
 */
export async function savePlaybooks(
  db: Queryable,
  playbooks: Playbooks,
  source: string,
  actor?: Actor,
): Promise<{ saved: PlaybooksVersion; changed: boolean }> {
  const [before] = await db.query<{ version: number }>(
    "SELECT version FROM playbook_versions ORDER BY version DESC LIMIT 1",
  );
  const [row] = await db.query<Row & { created: boolean }>(
    `WITH latest AS (SELECT version, definition FROM playbook_versions ORDER BY version DESC LIMIT 1),
     ins AS (
       INSERT INTO playbook_versions (version, definition, source)
       SELECT coalesce((SELECT max(version) FROM playbook_versions), 0) + 1, $1::jsonb, $2
       WHERE NOT EXISTS (SELECT 1 FROM latest WHERE definition = $1::jsonb)
       RETURNING version, definition, source, created_at
     )
     SELECT *, true AS created FROM ins
     UNION ALL SELECT v.version, v.definition, v.source, v.created_at, false FROM playbook_versions v
       WHERE NOT EXISTS (SELECT 1 FROM ins) AND v.version = (SELECT version FROM latest)`,
    [JSON.stringify(playbooks), source],
  );
  if (!row) throw new Error("could not save the playbooks");
  if (row.created && actor)
    await audit(db, actor, "playbooks.changed", {
      subjectType: "playbooks",
      subjectId: String(row.version),
      before: before ? { version: before.version } : null,
      after: { version: row.version, source, playbooks: playbooks.playbooks.map((p) => p.key) },
    });
  return { saved: fromRow(row), changed: row.created };
}

export async function playbookVersions(db: Queryable): Promise<Omit<PlaybooksVersion, "playbooks">[]> {
  return db.query("SELECT version, source, created_at FROM playbook_versions ORDER BY version DESC");
}

export async function playbooksVersion(
  db: Queryable,
  version: number,
): Promise<PlaybooksVersion | undefined> {
  const [row] = await db.query<Row>(
    "SELECT version, definition, source, created_at FROM playbook_versions WHERE version = $1",
    [version],
  );
  return row ? fromRow(row) : undefined;
}

/**
 * The playbooks file (keepwell.playbooks.yaml beside the scorecard): when it
 * exists and differs from the active version it becomes the new version; a
 * bad file is an error naming each path and line. When it does not exist and
 * the defaults are active, the commented default file is written there.
 */
export async function syncPlaybooksFile(
  db: Queryable,
  file: string | undefined,
  actor?: Actor,
): Promise<PlaybooksVersion> {
  if (!file) return activePlaybooks(db);
  if (!existsSync(file)) {
    const active = await activePlaybooks(db);
    // A team starts from the default file, comments and all, to read and edit.
    if (active.source === "default") writeFileSync(file, DEFAULT_PLAYBOOKS_YAML);
    return active;
  }
  const playbooks = await validatePlaybooks(db, readFileSync(file, "utf8"), file);
  await activePlaybooks(db);
  return (await savePlaybooks(db, playbooks, "file", actor)).saved;
}

/** Writes playbooks as YAML (after an API change, so the file and the store agree). */
export function writePlaybooksFile(file: string, playbooks: Playbooks): void {
  writeFileSync(
    file,
    `# Keepwell playbooks: edit, then \`keepwell playbooks apply\` (or PUT /api/v1/playbooks).\n${stringify(playbooks)}`,
  );
}

/** Key order ignored: two definitions are the same playbooks when this says so. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** The file's text when it holds exactly `playbooks` (comments and all), else undefined. */
export function playbooksFileText(file: string | undefined, playbooks: Playbooks): string | undefined {
  if (!file || !existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const parsed = parsePlaybooksYaml(text);
  return parsed.ok && canonical(parsed.value) === canonical(playbooks) ? text : undefined;
}

/**
 * A version as YAML people read: the playbooks file as written when it says
 * the same, else the commented default when it is the default, else a dump.
 */
export function playbooksYaml(active: PlaybooksVersion, file: string | undefined): string {
  const own = playbooksFileText(file, active.playbooks);
  if (own !== undefined) return own;
  if (canonical(active.playbooks) === canonical(DEFAULT_PLAYBOOKS)) return DEFAULT_PLAYBOOKS_YAML;
  return `# Keepwell playbooks, version ${active.version} (${active.source}).\n${stringify(active.playbooks)}`;
}
