import { useRef, useState } from "react";
import { Async, ErrorState, Panel } from "../components/states";
import { can } from "../lib/access";
import { ApiError, api } from "../lib/api";
import { day } from "../lib/format";
import type { PlaybookProblem, PlaybooksCheck, PlaybooksResponse } from "../lib/plays";
import { useUser } from "../lib/session";
import { useApi } from "../lib/use-api";
import { SimulatePanel } from "./playbooks-simulate";

type Check =
  | { state: "idle" | "checking" | "valid" }
  | { state: "invalid"; problems: PlaybookProblem[] }
  | { state: "failed"; error: ApiError };

/** The server's 400 details ({field, message, line?}) as problems. */
function problemsOf(e: ApiError): PlaybookProblem[] {
  return e.details.map((d) => ({ path: d.field, message: d.message, line: d.line ?? null }));
}

/** Where line `n` (1-based) starts in `text`. */
function lineStart(text: string, n: number): number {
  let at = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

function Problems({ problems, onLine }: { problems: PlaybookProblem[]; onLine: (n: number) => void }) {
  return (
    <ul className="error-summary" aria-label="Problems" data-testid="playbook-problems">
      {problems.map((p) => (
        <li
          key={`${p.path}:${p.line ?? ""}:${p.message}`}
          data-testid="playbook-problem"
          data-path={p.path}
          data-line={p.line ?? ""}
        >
          {p.line ? (
            <button type="button" className="button link line-link" onClick={() => onLine(p.line!)}>
              line {p.line}
            </button>
          ) : null}{" "}
          <code>{p.path || "file"}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}

function Editor({
  loaded,
  editable,
  onSaved,
}: {
  loaded: PlaybooksResponse;
  editable: boolean;
  onSaved: (v: PlaybooksResponse) => void;
}) {
  const [text, setText] = useState(loaded.yaml);
  const [check, setCheck] = useState<Check>({ state: "idle" });
  const [checkedText, setCheckedText] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const dirty = text !== loaded.yaml;
  const lines = text.split("\n").length;

  const goTo = (n: number) => {
    const el = area.current;
    if (!el) return;
    const start = lineStart(text, n);
    const end = text.indexOf("\n", start);
    el.focus();
    el.setSelectionRange(start, end < 0 ? text.length : end);
    // About where the line is: the textarea's line height times the lines above it.
    const lh = Number.parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (n - 4) * lh);
  };

  const runCheck = async () => {
    setCheck({ state: "checking" });
    setSaveError(null);
    try {
      const r = await api<PlaybooksCheck>("/api/v1/playbooks/check", {
        method: "POST",
        body: { yaml: text },
      });
      setCheck(r.ok ? { state: "valid" } : { state: "invalid", problems: r.errors });
      setCheckedText(text);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(String(err), 0, "client");
      setCheck(
        e.details.length ? { state: "invalid", problems: problemsOf(e) } : { state: "failed", error: e },
      );
    }
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await api<PlaybooksResponse>("/api/v1/playbooks", {
        method: "PUT",
        body: { yaml: text },
      });
      setCheck({ state: "idle" });
      onSaved(saved);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(String(err), 0, "client");
      if (e.details.length) {
        setCheck({ state: "invalid", problems: problemsOf(e) });
        setCheckedText(text);
      } else setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const stale = checkedText !== text && check.state !== "checking";
  const status =
    check.state === "checking"
      ? "Checking…"
      : check.state === "idle" || stale
        ? dirty
          ? "Edited: check it, simulate it, then save."
          : "No changes."
        : check.state === "valid"
          ? "Valid: no problems."
          : check.state === "invalid"
            ? `${check.problems.length} problem${check.problems.length === 1 ? "" : "s"} to fix.`
            : "Could not check the playbooks.";
  return (
    <>
      <Panel title="The playbooks file" id="playbooks-file">
        {editable && (
          <div className="editor-bar">
            <span
              className="status"
              data-testid="playbooks-check-state"
              data-state={stale && check.state !== "idle" ? "stale" : check.state}
            >
              {status}
            </span>
            <button
              type="button"
              className="button"
              disabled={!dirty || saving}
              onClick={() => setText(loaded.yaml)}
            >
              Discard changes
            </button>
            <button
              type="button"
              className="button"
              onClick={runCheck}
              disabled={check.state === "checking"}
              data-testid="playbooks-check"
            >
              Check
            </button>
            <button
              type="button"
              className="button primary"
              onClick={save}
              disabled={!dirty || saving}
              data-testid="playbooks-save"
            >
              {saving ? "Saving…" : "Save as a new version"}
            </button>
          </div>
        )}
        {!editable && (
          <div className="editor-bar">
            <span className="status">{status}</span>
            <button
              type="button"
              className="button"
              onClick={runCheck}
              disabled={check.state === "checking"}
              data-testid="playbooks-check"
            >
              Check
            </button>
          </div>
        )}
        {saveError && <ErrorState error={saveError} what="save the playbooks" />}
        {check.state === "failed" && <ErrorState error={check.error} what="check the playbooks" />}
        {check.state === "invalid" && !stale && <Problems problems={check.problems} onLine={goTo} />}
        <label htmlFor="playbooks-yaml" className="sr-only">
          The playbooks, as YAML
        </label>
        <textarea
          id="playbooks-yaml"
          ref={area}
          className="yaml-editor"
          value={text}
          readOnly={!editable}
          rows={Math.min(40, Math.max(16, lines + 1))}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Tab indents (two spaces) instead of leaving the editor; Escape then Tab still leaves it.
            if (e.key !== "Tab" || e.shiftKey || !editable) return;
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: s, selectionEnd: end } = el;
            setText(`${text.slice(0, s)}  ${text.slice(end)}`);
            requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
          }}
          data-testid="playbooks-yaml"
        />
      </Panel>
      <SimulatePanel edited={text} current={loaded.yaml} />
    </>
  );
}

/** The playbook editor: the active version's YAML; admins check, simulate and save it, others read and simulate. */
export function PlaybooksPage() {
  const user = useUser();
  const editable = can(user, "settings.write");
  const loaded = useApi<PlaybooksResponse>("/api/v1/playbooks");
  const [saved, setSaved] = useState<PlaybooksResponse | null>(null);
  const current = saved && (!loaded.data || saved.version >= loaded.data.version) ? saved : loaded.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Playbooks</h1>
        {current && (
          <p className="muted" data-testid="playbooks-version">
            Version {current.version} · {current.source} · {day(current.created_at)}
          </p>
        )}
      </div>
      {!editable && (
        <div className="notice" role="note" data-testid="read-only">
          You can read and simulate the playbooks; only an admin can change them.
        </div>
      )}
      {saved && saved === current && (
        <div className="notice" role="status" data-testid="playbooks-saved">
          Saved as version {saved.version}. New plays open by it from the next evaluation.
        </div>
      )}
      <Async value={loaded} what="the playbooks" height={300}>
        {() =>
          current ? (
            <>
              <Editor key={current.version} loaded={current} editable={editable} onSaved={setSaved} />
              {current.versions?.length > 0 && (
                <Panel title="Versions" id="playbook-versions">
                  <ol className="versions">
                    {current.versions.map((v) => (
                      <li key={v.version}>
                        <strong>v{v.version}</strong> <span className="muted">{v.source}</span>{" "}
                        {day(v.created_at)}
                      </li>
                    ))}
                  </ol>
                </Panel>
              )}
            </>
          ) : null
        }
      </Async>
    </div>
  );
}
