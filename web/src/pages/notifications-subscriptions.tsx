import { type FormEvent, useState } from "react";
import { EventTypePicker } from "../components/event-types";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Async, Empty, Panel } from "../components/states";
import { can } from "../lib/access";
import { api } from "../lib/api";
import { BANDS, bandLabel } from "../lib/bands";
import { segment as segmentLabel } from "../lib/format";
import {
  EVENT_TYPES,
  eventLabel,
  type NotifySettings,
  type Subscription,
  type SubscriptionScope,
} from "../lib/notify-types";
import { useUser } from "../lib/session";
import { useApi } from "../lib/use-api";
import { sentence } from "./signin";

const SCOPES: { value: SubscriptionScope; label: string }[] = [
  { value: "account", label: "An account" },
  { value: "segment", label: "A segment" },
  { value: "band", label: "A band" },
  { value: "event", label: "An event type" },
];

function followed(s: Pick<Subscription, "scope" | "value">): string {
  if (s.scope === "band") return `accounts in ${bandLabel(s.value)}`;
  if (s.scope === "segment") return `the ${segmentLabel(s.value)} segment`;
  if (s.scope === "event") return `every ${eventLabel(s.value).toLowerCase()}`;
  return `account ${s.value}`;
}

function AddSubscription({ admin, onAdded }: { admin: boolean; onAdded: () => void }) {
  const settings = useApi<NotifySettings>(admin ? "/api/v1/notifications/settings" : null);
  const [scope, setScope] = useState<SubscriptionScope>("account");
  const [value, setValue] = useState("");
  const [types, setTypes] = useState<string[]>([]);
  const [channel, setChannel] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const channels = settings.data?.slack_channels.filter((c) => !c.disabled) ?? [];
  const pickScope = (s: SubscriptionScope) => {
    setScope(s);
    setValue(s === "band" ? "at_risk" : s === "event" ? EVENT_TYPES[0] : "");
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) {
      setErrors({ fields: { value: "Say what to follow." } });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await api<Subscription>("/api/v1/me/subscriptions", {
        method: "POST",
        body: {
          scope,
          value: value.trim(),
          ...(scope === "event" ? {} : { event_types: types }),
          ...(channel ? { channel_id: channel } : {}),
        },
      });
      setValue(scope === "band" || scope === "event" ? value : "");
      setTypes([]);
      onAdded();
    } catch (err) {
      const f = formErrors(err, ["scope", "value", "event_types", "channel_id"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Follow something" data-testid="subscription-form">
      <h3>Follow more</h3>
      <FormError errors={errors} />
      <div className="form-grid">
        <Field label="What to follow" error={errors.fields.scope}>
          {(c) => (
            <select {...c} value={scope} onChange={(e) => pickScope(e.target.value as SubscriptionScope)}>
              {SCOPES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {scope === "band" ? (
          <Field label="Band" error={errors.fields.value}>
            {(c) => (
              <select {...c} value={value} onChange={(e) => setValue(e.target.value)}>
                {BANDS.map((b) => (
                  <option key={b} value={b}>
                    {bandLabel(b)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : scope === "event" ? (
          <Field label="Event type" error={errors.fields.value}>
            {(c) => (
              <select {...c} value={value} onChange={(e) => setValue(e.target.value)}>
                {EVENT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {eventLabel(t)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field
            label={scope === "account" ? "Account id" : "Segment"}
            error={errors.fields.value}
            hint={
              scope === "account" ? "As in the account page's address." : "As the data names it: mid_market."
            }
          >
            {(c) => (
              <input
                {...c}
                type="text"
                spellCheck={false}
                value={value}
                onChange={(e) => setValue(e.target.value)}
              />
            )}
          </Field>
        )}
        {admin && channels.length > 0 && (
          <Field
            label="Tell"
            error={errors.fields.channel_id}
            hint="A Slack channel hears it instead of you."
          >
            {(c) => (
              <select {...c} value={channel} onChange={(e) => setChannel(e.target.value)}>
                <option value="">Me</option>
                {channels.map((ch) => (
                  <option key={ch.id} value={ch.id}>
                    #{ch.name.replace(/^#/, "")}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {scope !== "event" && (
          <div className="wide">
            <EventTypePicker
              legend="Events"
              value={types}
              onChange={setTypes}
              error={errors.fields.event_types}
              hint="None ticked: every event."
            />
          </div>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="add-subscription">
          {busy ? "Adding…" : "Follow"}
        </button>
      </div>
    </form>
  );
}

function Remove({ s, onRemoved }: { s: Subscription; onRemoved: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/me/subscriptions/${encodeURIComponent(s.id)}`, { method: "DELETE" });
      onRemoved();
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="button small"
        onClick={remove}
        disabled={busy}
        aria-label={`Stop following ${followed(s)}`}
        data-testid="remove-subscription"
      >
        {busy ? "Removing…" : "Remove"}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

/** What the signed-in person follows beyond their own plays: accounts, segments, bands, event types. */
export function SubscriptionsPanel() {
  const admin = can(useUser(), "notify.manage");
  const list = useApi<{ items: Subscription[] }>("/api/v1/me/subscriptions");
  return (
    <Panel title="What you follow" id="subscriptions">
      <p className="muted small">You hear of your own plays and escalations anyway.</p>
      <Async value={list} what="your subscriptions" height={80}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>You follow nothing else yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table data-testid="subscriptions">
                <thead>
                  <tr>
                    <th scope="col">Follows</th>
                    <th scope="col">Events</th>
                    <th scope="col">Told</th>
                    <th scope="col">
                      <span className="sr-only">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} data-testid="subscription" data-scope={s.scope} data-value={s.value}>
                      <td>{followed(s)}</td>
                      <td>
                        {s.scope === "event"
                          ? "—"
                          : s.event_types.length === 0
                            ? "all"
                            : s.event_types.map(eventLabel).join(", ")}
                      </td>
                      <td>{s.channel ? `#${s.channel.name.replace(/^#/, "")}` : "me"}</td>
                      <td>
                        <Remove s={s} onRemoved={list.reload} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      <AddSubscription admin={admin} onAdded={list.reload} />
    </Panel>
  );
}
