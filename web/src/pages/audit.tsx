import { Async, Panel } from "../components/states";
import { can } from "../lib/access";
import { query } from "../lib/api";
import { capital, dateTime, words } from "../lib/format";
import { navigate, useLocation } from "../lib/router";
import { useUser } from "../lib/session";
import type { AuditEntry, User } from "../lib/types";
import { useApi } from "../lib/use-api";
import { Diff } from "./audit-diff";

/** What each action means, as a person would say it. */
const ACTIONS: Record<string, string> = {
  "session.signed_in": "Signed in",
  "session.signed_out": "Signed out",
  "session.sign_in_failed": "Failed to sign in",
  "user.created": "Added a user",
  "user.updated": "Changed a user",
  "user.deactivated": "Deactivated a user",
  "user.password_set": "Set a password",
  "user.reset_link_created": "Made a password link",
  "owner.mapped": "Mapped an account owner",
  "key.created": "Created an API key",
  "key.revoked": "Revoked an API key",
  "scorecard.changed": "Changed the scorecard",
  "scoring.run": "Ran scoring",
};
const GROUPS = [
  { value: "user", label: "Users" },
  { value: "owner", label: "Account owners" },
  { value: "key", label: "API keys" },
  { value: "session", label: "Signing in and out" },
  { value: "scorecard", label: "The scorecard" },
  { value: "scoring", label: "Scoring runs" },
];
const SUBJECTS: Record<string, string> = {
  user: "User",
  api_key: "API key",
  owner: "Owner",
  scorecard: "Scorecard",
};
const LIMIT = 50;

/** Cursors of the pages seen, per filter, so Newer works without the server counting back. */
const trail = new Map<string, string[]>();

function actionLabel(action: string): string {
  return ACTIONS[action] ?? capital(words(action.replaceAll(".", " ")));
}

function Subject({ e, names }: { e: AuditEntry; names: Map<string, string> }) {
  if (!e.subject_type) return <span className="muted">—</span>;
  const name = e.subject_id ? names.get(e.subject_id) : undefined;
  const after = e.after as { name?: string } | null;
  const before = e.before as { name?: string } | null;
  const label = name ?? after?.name ?? before?.name ?? e.subject_id;
  return (
    <>
      <span className="muted">{SUBJECTS[e.subject_type] ?? words(e.subject_type)}</span>{" "}
      <span title={e.subject_id ?? undefined}>{label ?? "—"}</span>
    </>
  );
}

function Entries({ entries, names }: { entries: AuditEntry[]; names: Map<string, string> }) {
  return (
    <div className="table-wrap">
      <table className="audit" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Subject</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-action={e.action} data-id={e.id}>
              <td className="when">
                <time dateTime={e.at}>{dateTime(e.at)}</time>
              </td>
              <td>
                {e.actor_type === "user" && e.actor_id && names.has(e.actor_id) ? (
                  <>
                    {names.get(e.actor_id)}
                    <small>{e.actor_label}</small>
                  </>
                ) : (
                  e.actor_label
                )}
                {e.actor_type !== "user" && <span className="tag">{e.actor_type}</span>}
                {e.ip && <small>from {e.ip}</small>}
              </td>
              <td>
                {actionLabel(e.action)}
                <small>
                  <code>{e.action}</code>
                </small>
              </td>
              <td>
                <Subject e={e} names={names} />
              </td>
              <td>
                <Diff before={e.before} after={e.after} names={names} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The audit log, newest first: who did what, when, to what, and what it changed. */
export function AuditPage() {
  const { params } = useLocation();
  const action = params.get("action") ?? "";
  const cursor = params.get("cursor") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const log = useApi<{ data: AuditEntry[]; next_cursor: string | null }>(
    `/api/v1/audit${query({ action, cursor, limit: LIMIT })}`,
  );
  const users = useApi<{ data: User[] }>(can(useUser(), "audit.read") ? "/api/v1/users" : null);
  const names = new Map((users.data?.data ?? []).map((u) => [u.id, u.name]));
  const go = (next: { action?: string; cursor?: string; page?: number }) =>
    navigate(
      `/audit${query({ action: next.action ?? action, cursor: next.cursor, page: (next.page ?? 1) > 1 ? next.page : "" })}`,
    );
  const older = (next: string) => {
    const t = trail.get(action) ?? [];
    t[page - 1] = cursor;
    trail.set(action, t);
    go({ cursor: next, page: page + 1 });
  };
  const newer = () => {
    const prev = trail.get(action)?.[page - 2];
    go(prev === undefined ? {} : { cursor: prev, page: page - 1 });
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="muted">
          Every change to users, keys, owners and the scorecard, and every sign-in, newest first.
        </p>
      </div>
      <Panel
        title="Entries"
        id="audit"
        aside={
          <label className="inline-label">
            <span>Action</span>
            <select
              value={action}
              onChange={(e) => go({ action: e.target.value })}
              data-testid="audit-action"
            >
              <option value="">All actions</option>
              <optgroup label="Kinds">
                {GROUPS.map((g) => (
                  <option key={g.value} value={g.value}>
                    {g.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Actions">
                {Object.entries(ACTIONS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
        }
      >
        <Async value={log} what="the audit log" height={200}>
          {(p) =>
            p.data.length === 0 ? (
              <div className="state state-empty" data-testid="audit-empty">
                {action ? "No entries for this action." : "Nothing has been recorded yet."}
              </div>
            ) : (
              <>
                <Entries entries={p.data} names={names} />
                <div className="pager">
                  <span className="muted">
                    Entries {(page - 1) * LIMIT + 1}–{(page - 1) * LIMIT + p.data.length}
                    {p.next_cursor ? "" : " (the oldest)"}
                  </span>
                  <button type="button" className="button" disabled={page <= 1} onClick={newer}>
                    ← Newer
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={!p.next_cursor}
                    onClick={() => p.next_cursor && older(p.next_cursor)}
                    data-testid="audit-older"
                  >
                    Older →
                  </button>
                </div>
              </>
            )
          }
        </Async>
      </Panel>
    </div>
  );
}
