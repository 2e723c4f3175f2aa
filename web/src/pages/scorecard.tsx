import { useEffect, useMemo, useRef, useState } from "react";
import { Async, ErrorState, Panel } from "../components/states";
import { can } from "../lib/access";
import { ApiError, api } from "../lib/api";
import { day } from "../lib/format";
import { formatPath, type Path, parseNumber, setIn } from "../lib/paths";
import { useUser } from "../lib/session";
import type { RescoreEffect, ScorecardCheck, ScorecardResponse } from "../lib/types";
import { useApi, useDebounced } from "../lib/use-api";
import { ScorecardForm } from "./scorecard-editor";
import { RescoreResult } from "./scorecard-effect";
import type { FieldContext, FieldErrors } from "./scorecard-fields";

type Draft = Record<string, unknown>;
type Check = {
  state: "idle" | "checking" | "valid" | "invalid" | "failed";
  errors: { field: string; message: string }[];
};

function toErrors(list: { field: string; message: string }[]): FieldErrors {
  const m: FieldErrors = new Map();
  for (const e of list) m.set(e.field, [...(m.get(e.field) ?? []), e.message]);
  return m;
}

function Editor({
  loaded,
  onSaved,
  readOnly,
}: {
  loaded: ScorecardResponse;
  onSaved: (v: ScorecardResponse) => void;
  /** Shown, not edited: the person may not change the scorecard. */
  readOnly: boolean;
}) {
  const original = useMemo(() => JSON.stringify(loaded.scorecard), [loaded]);
  const [draft, setDraft] = useState<Draft>(() => structuredClone(loaded.scorecard) as unknown as Draft);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [check, setCheck] = useState<Check>({ state: "valid", errors: [] });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const body = JSON.stringify(draft);
  const dirty = body !== original;
  const settled = useDebounced(body, 350);
  const seq = useRef(0);

  useEffect(() => {
    if (settled === original || readOnly) {
      setCheck({ state: "valid", errors: [] });
      return;
    }
    const n = ++seq.current;
    setCheck((c) => ({ ...c, state: "checking" }));
    api<ScorecardCheck>("/api/v1/insights/scorecard-check", {
      method: "POST",
      body: JSON.parse(settled),
    }).then(
      (r) => n === seq.current && setCheck({ state: r.valid ? "valid" : "invalid", errors: r.errors }),
      (err: unknown) =>
        n === seq.current &&
        setCheck({ state: "failed", errors: err instanceof ApiError ? err.details : [] }),
    );
  }, [settled, original, readOnly]);

  const ctx: FieldContext = {
    errors: toErrors(check.errors),
    texts,
    setNumber: (path: Path, text: string) => {
      setTexts((t) => ({ ...t, [formatPath(path)]: text }));
      setDraft((d) => setIn(d, path, parseNumber(text)));
    },
    setValue: (path: Path, value: unknown) => {
      setTexts({});
      setDraft((d) => setIn(d, path, value));
    },
  };
  const pending = body !== settled || check.state === "checking";
  const canSave = dirty && !pending && check.state === "valid" && !saving;

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await api<Omit<ScorecardResponse, "versions">>("/api/v1/scorecard", {
        method: "PUT",
        body: draft,
      });
      setTexts({});
      onSaved({
        ...loaded,
        ...saved,
        versions: [
          { version: saved.version, source: saved.source, created_at: saved.created_at },
          ...loaded.versions,
        ],
      });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(String(err), 0, "client");
      if (e.details.length) setCheck({ state: "invalid", errors: e.details });
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };
  const reset = () => {
    setTexts({});
    setDraft(structuredClone(loaded.scorecard) as unknown as Draft);
  };

  if (readOnly)
    return (
      <fieldset disabled className="read-only" data-testid="scorecard-read-only">
        <legend className="sr-only">The scorecard (read-only)</legend>
        <ScorecardForm ctx={ctx} draft={draft} />
      </fieldset>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) void save();
      }}
    >
      <div className="editor-bar">
        <span className="status" data-testid="check-state" data-state={pending ? "checking" : check.state}>
          {!dirty
            ? "No changes."
            : pending
              ? "Checking…"
              : check.state === "valid"
                ? "Valid: ready to save."
                : check.state === "failed"
                  ? "Could not check the scorecard."
                  : `${check.errors.length} problem${check.errors.length === 1 ? "" : "s"} to fix.`}
        </span>
        <button type="button" className="button" disabled={!dirty || saving} onClick={reset}>
          Discard changes
        </button>
        <button type="submit" className="button primary" disabled={!canSave} data-testid="save-scorecard">
          {saving ? "Saving…" : "Save as a new version"}
        </button>
      </div>
      {saveError && <ErrorState error={saveError} what="save the scorecard" />}
      {check.state === "invalid" && check.errors.length > 0 && (
        <ul className="error-summary" aria-label="Problems">
          {check.errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field || "scorecard"}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      <ScorecardForm ctx={ctx} draft={draft} />
    </form>
  );
}

function Rescore({ version }: { version: number }) {
  const [state, setState] = useState<{ running: boolean; effect?: RescoreEffect; error?: ApiError }>({
    running: false,
  });
  const run = async () => {
    setState({ running: true });
    try {
      const effect = await api<RescoreEffect>("/api/v1/insights/rescore", { method: "POST", body: {} });
      setState({ running: false, effect });
    } catch (err) {
      setState({
        running: false,
        error: err instanceof ApiError ? err : new ApiError(String(err), 0, "client"),
      });
    }
  };
  return (
    <Panel
      title="Rescore"
      id="rescore"
      aside={
        <button
          type="button"
          className="button primary"
          onClick={run}
          disabled={state.running}
          data-testid="rescore"
        >
          {state.running ? "Rescoring…" : "Rescore now"}
        </button>
      }
    >
      <p className="muted small">
        Scores every account again with version {version}, as of the date of the current scores, so the change
        you see is the scorecard's.
      </p>
      {state.running && (
        <div className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Rescoring every account…
        </div>
      )}
      {state.error && <ErrorState error={state.error} onRetry={run} what="rescore" />}
      {state.effect && <RescoreResult effect={state.effect} />}
    </Panel>
  );
}

export function ScorecardPage() {
  const user = useUser();
  const editable = can(user, "settings.write");
  const rescore = can(user, "scores.run");
  const loaded = useApi<ScorecardResponse>("/api/v1/scorecard");
  const [saved, setSaved] = useState<ScorecardResponse | null>(null);
  const current = saved ?? loaded.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Scorecard</h1>
        {current && (
          <p className="muted" data-testid="scorecard-version">
            Version {current.version} · {current.source} · {day(current.created_at)}
          </p>
        )}
      </div>
      {!editable && (
        <div className="notice" role="note" data-testid="read-only">
          You can see the scorecard; only an admin can change it or rescore with it.
        </div>
      )}
      {saved && (
        <div className="notice" role="status" data-testid="saved">
          Saved as version {saved.version}. Rescore to see what it changes.
        </div>
      )}
      <Async value={loaded} what="the scorecard" height={300}>
        {() =>
          current ? (
            <>
              <div className={rescore ? "scorecard-top" : "scorecard-top versions-only"}>
                {rescore && <Rescore version={current.version} />}
                <Panel title="Versions" id="versions">
                  <ol className="versions">
                    {current.versions.map((v) => (
                      <li key={v.version}>
                        <strong>v{v.version}</strong> <span className="muted">{v.source}</span>{" "}
                        {day(v.created_at)}
                      </li>
                    ))}
                  </ol>
                </Panel>
              </div>
              <Panel title="Categories, measures and weights" id="editor">
                <Editor key={current.version} loaded={current} onSaved={setSaved} readOnly={!editable} />
              </Panel>
            </>
          ) : null
        }
      </Async>
    </div>
  );
}
