import { ownerUserIdSql } from "../auth/index.js";
import type { Band } from "../domain/index.js";
import { AppError } from "../errors.js";
import { columnOf, ENTITIES, ENTITY_NAMES, excerpt } from "../ingest/index.js";
import type { ChurnDriver } from "../predict/index.js";
import { groupMatch, type Queryable } from "../store/index.js";
import { decodeCursor, encodeCursor, type Page, type SortKind } from "./pages.js";

/** Sortable account columns: a non-null SQL expression each, so keyset paging works with gaps. */
export const ACCOUNT_SORTS = {
  name: "coalesce(a.name, '')",
  arr: "coalesce(a.arr, -1)",
  seats: "coalesce(a.seats, -1)",
  renewal_date: "coalesce(a.renewal_date, DATE '9999-12-31')",
  segment: "coalesce(a.segment, '')",
  owner: "coalesce(a.owner, '')",
  id: "a.id",
  score: "coalesce(cs.score, -1)",
  completeness: "coalesce(cs.completeness, -1)",
  band: "coalesce(cs.band, '')",
  trend_30d: "coalesce(cs.score - h30.score, -1000)",
  trend_90d: "coalesce(cs.score - h90.score, -1000)",
  churn_probability: "coalesce(cs.churn_probability, -1)",
} as const;
export type AccountSort = keyof typeof ACCOUNT_SORTS;

/** The kind of each sort's value (for checking a cursor). */
const SORT_KINDS: Record<AccountSort, SortKind> = {
  name: "text",
  arr: "number",
  seats: "number",
  renewal_date: "date",
  segment: "text",
  owner: "text",
  id: "text",
  score: "number",
  completeness: "number",
  band: "text",
  trend_30d: "number",
  trend_90d: "number",
  churn_probability: "number",
};

export interface AccountQuery {
  segment?: string;
  owner?: string;
  status?: string;
  band?: string;
  /** Name contains this (case-insensitive). */
  q?: string;
  /** Renewal on or after / before these dates (YYYY-MM-DD). */
  renewal_from?: string;
  renewal_to?: string;
  min_score?: number;
  max_score?: number;
  /** Only the accounts the churn model in use flags (true), or only those it does not (false). */
  flagged?: boolean;
  /** Only the accounts whose owner resolves to one of these users (a person's book, a leader's team). */
  owner_users?: readonly string[];
  /** Only the accounts with an active signal of one of these kinds. */
  signal?: readonly string[];
  /** A column of ACCOUNT_SORTS, `-` first for descending. */
  sort?: string;
  limit?: number;
  cursor?: string;
}

/** An account as the API lists it: its fields (ACCOUNT_SELECT), then its score's (SCORE_SELECT). */
export type AccountWithScore = {
  id: string;
  name: string;
  domain: string | null;
  segment: string | null;
  owner: string | null;
  plan: string | null;
  seats: number | null;
  arr: number | null;
  currency: string | null;
  /** YYYY-MM-DD */
  renewal_date: string | null;
  status: "active" | "churned";
  churned_at: string | null;
  churn_reason: string | null;
  /** Null (with band, completeness and trends) while the account has no current score. */
  score: number | null;
  band: Band | null;
  completeness: number | null;
  /** Null until a churn model has scored the account. */
  churn_probability: number | null;
  churn_drivers: ChurnDriver[] | null;
  /** The churn model in use flags it (probability at or above its flag threshold); false without a model. */
  churn_flagged: boolean;
  /** The user the owner resolves to (by an admin's mapping, email or name); null when unresolved. */
  owner_user: { id: string; name: string; email: string } | null;
  trend_30d: number | null;
  trend_90d: number | null;
};

/** The open play the accounts list marks an account with: the highest tier's, then the soonest due. */
export type OpenPlayMark = { id: string; name: string; tier: number; overdue: boolean };
/** An account as GET /api/v1/accounts lists it: with its open play, if any. */
export type AccountListed = AccountWithScore & { open_play: OpenPlayMark | null };
/** Joined to the page only (not every account the sort passes over). */
const OPEN_PLAY = `LEFT JOIN LATERAL (SELECT json_build_object('id', p.id, 'name', p.name, 'tier', p.tier,
    'overdue', now() > p.due_at) AS open_play
    FROM plays p WHERE p.account = page.id AND p.state <> 'closed' ORDER BY p.tier DESC, p.due_at, p.id LIMIT 1) op ON true`;

const ACCOUNT_FIELDS = Object.keys(ENTITIES.accounts.fields);
export const ACCOUNT_SELECT = ACCOUNT_FIELDS.map((f) => `a.${f}`).join(", ");

/**
 * An account with its current score, the change of its score against the
 * monthly snapshots 30 and 90 days before the current one, and whether the
 * churn model in use flags it (its probability at or above the model's flag
 * threshold).
 */
const SCORED_FROM = `accounts a
  LEFT JOIN current_scores cs ON cs.account = a.id
  LEFT JOIN (SELECT (model->'flag'->>'threshold')::float8 AS threshold
    FROM models ORDER BY version DESC LIMIT 1) m ON true
  LEFT JOIN LATERAL (SELECT h.score FROM score_history h WHERE h.account = a.id
    AND h.month <= ((cs.as_of - interval '30 days') AT TIME ZONE 'UTC')::date ORDER BY h.month DESC LIMIT 1) h30 ON true
  LEFT JOIN LATERAL (SELECT h.score FROM score_history h WHERE h.account = a.id
    AND h.month <= ((cs.as_of - interval '90 days') AT TIME ZONE 'UTC')::date ORDER BY h.month DESC LIMIT 1) h90 ON true`;
/** Whether the churn model in use flags the account (false without a model or a probability). */
const FLAGGED = "coalesce(cs.churn_probability >= m.threshold, false)";
const SCORE_SELECT = `cs.score, cs.band, cs.completeness, cs.churn_probability, cs.churn_drivers,
  ${FLAGGED} AS churn_flagged,
  round((cs.score - h30.score)::numeric, 1)::float8 AS trend_30d,
  round((cs.score - h90.score)::numeric, 1)::float8 AS trend_90d`;

export async function listAccounts(db: Queryable, q: AccountQuery): Promise<Page<AccountListed>> {
  const desc = q.sort?.startsWith("-") ?? false;
  const key = (q.sort === undefined ? "name" : q.sort.replace(/^-/, "")) as AccountSort;
  const expr = Object.hasOwn(ACCOUNT_SORTS, key) ? ACCOUNT_SORTS[key] : undefined;
  if (!expr) {
    throw new AppError("validation_failed", `cannot sort by ${excerpt(q.sort)}`, {
      details: [
        {
          field: "sort",
          message: `must be one of ${Object.keys(ACCOUNT_SORTS).join(", ")} (with - for descending)`,
        },
      ],
    });
  }
  const limit = q.limit ?? 50;
  const where: string[] = [];
  const params: unknown[] = [];
  for (const f of ["segment", "owner"] as const) {
    const value = q[f];
    if (value !== undefined) where.push(groupMatch(`a.${f}`, value, params));
  }
  if (q.status !== undefined) {
    params.push(q.status);
    where.push(`a.status = $${params.length}`);
  }
  if (q.band !== undefined) {
    params.push(q.band.split(","));
    where.push(`cs.band = ANY($${params.length}::text[])`);
  }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`a.name ILIKE $${params.length}`);
  }
  if (q.renewal_from) {
    params.push(q.renewal_from);
    where.push(`a.renewal_date >= $${params.length}::date`);
  }
  if (q.renewal_to) {
    params.push(q.renewal_to);
    where.push(`a.renewal_date <= $${params.length}::date`);
  }
  if (q.min_score !== undefined) {
    params.push(q.min_score);
    where.push(`cs.score >= $${params.length}`);
  }
  if (q.max_score !== undefined) {
    params.push(q.max_score);
    where.push(`cs.score <= $${params.length}`);
  }
  if (q.flagged !== undefined) where.push(`${q.flagged ? "" : "NOT "}${FLAGGED}`);
  if (q.owner_users !== undefined) {
    // The few owner names that stand for these users, found once, instead of resolving every account's.
    params.push(await ownerNamesOf(db, q.owner_users));
    where.push(`a.owner = ANY($${params.length}::text[])`);
  }
  if (q.signal?.length) {
    params.push(q.signal);
    where.push(
      `EXISTS (SELECT 1 FROM signals sg WHERE sg.account = a.id AND sg.active AND sg.kind = ANY($${params.length}::text[]))`,
    );
  }
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor, SORT_KINDS[key]);
    params.push(value, id);
    where.push(`(${expr}, a.id) ${desc ? "<" : ">"} ($${params.length - 1}, $${params.length})`);
  }
  params.push(limit + 1);
  const dir = desc ? "DESC" : "ASC";
  const rows = await db.query<Omit<AccountListed, "owner_user"> & { _sort: unknown }>(
    `SELECT page.*, op.open_play FROM (
       SELECT ${ACCOUNT_SELECT}, ${SCORE_SELECT}, ${expr} AS _sort FROM ${SCORED_FROM}
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY ${expr} ${dir}, a.id ${dir} LIMIT $${params.length}) page
     ${OPEN_PLAY}
     ORDER BY page._sort ${dir}, page.id ${dir}`,
    params,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: await withOwnerUsers(
      db,
      page.map(({ _sort, ...r }) => r),
    ),
    next_cursor: more && last ? encodeCursor(last._sort, String(last.id)) : null,
  };
}

/** The owner names (as accounts carry them) that resolve to one of `users`. */
async function ownerNamesOf(db: Queryable, users: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ owner: string }>(
    `SELECT o.owner FROM (SELECT DISTINCT owner FROM accounts WHERE owner IS NOT NULL) o
     WHERE ${ownerUserIdSql("o.owner")} = ANY($1::text[])`,
    [users],
  );
  return rows.map((r) => r.owner);
}

/** Adds each account's owner_user, resolving only the owners of these accounts (a page, not the portfolio). */
async function withOwnerUsers<A extends Omit<AccountWithScore, "owner_user">>(
  db: Queryable,
  accounts: A[],
): Promise<(A & Pick<AccountWithScore, "owner_user">)[]> {
  const owners = [...new Set(accounts.map((a) => a.owner).filter((o): o is string => o !== null))];
  const rows = owners.length
    ? await db.query<{ owner: string; user: AccountWithScore["owner_user"] }>(
        `SELECT o.owner, json_build_object('id', u.id, 'name', u.name, 'email', u.email) AS user
         FROM unnest($1::text[]) o(owner) JOIN users u ON u.id = ${ownerUserIdSql("o.owner")}`,
        [owners],
      )
    : [];
  const byOwner = new Map(rows.map((r) => [r.owner, r.user]));
  return accounts.map((a) => ({ ...a, owner_user: (a.owner && byOwner.get(a.owner)) || null }));
}

export async function getAccount(db: Queryable, id: string): Promise<AccountWithScore> {
  const [found] = await db.query<Omit<AccountWithScore, "owner_user">>(
    `SELECT ${ACCOUNT_SELECT}, ${SCORE_SELECT} FROM ${SCORED_FROM} WHERE a.id = $1`,
    [id],
  );
  const [account] = found ? await withOwnerUsers(db, [found]) : [];
  if (!account) throw new AppError("not_found", `no account with id ${excerpt(id, 60)}`);
  return account;
}

/** How many facts of each kind an account has. */
export async function countFacts(db: Queryable, id: string): Promise<Record<string, number>> {
  const kinds = ENTITY_NAMES.filter((e) => e !== "accounts");
  const sql = kinds
    .map(
      (e) =>
        `(SELECT count(*)::int FROM ${ENTITIES[e].table} WHERE ${columnOf(ENTITIES[e], "account")} = $1) AS ${e}`,
    )
    .join(", ");
  const [row] = await db.query<Record<string, number>>(`SELECT ${sql}`, [id]);
  return row ?? {};
}
