import type { KeyboardEvent } from "react";
import { AlertsNav } from "../components/alerts-nav";
import { navigate, useLocation } from "../lib/router";
import { DeadLettersTab, DeliveriesTab } from "./webhooks-deliveries";
import { EndpointsTab } from "./webhooks-endpoints";

const TABS = [
  { key: "endpoints", label: "Endpoints" },
  { key: "deliveries", label: "Deliveries" },
  { key: "dead", label: "Dead letters" },
] as const;
type Tab = (typeof TABS)[number]["key"];

/**
 * Outbound webhooks (admins): the endpoints Keepwell calls, every delivery
 * with its attempts, and the dead letters to replay. The tab is in the address.
 */
export function WebhooksPage() {
  const { params } = useLocation();
  const tab: Tab = TABS.find((t) => t.key === params.get("tab"))?.key ?? "endpoints";
  const go = (t: Tab) => navigate(`/webhooks${t === "endpoints" ? "" : `?tab=${t}`}`, { replace: true });
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.key === tab);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(i + step + TABS.length) % TABS.length]!;
    go(next.key);
    document.getElementById(`tab-${next.key}`)?.focus();
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Webhooks</h1>
        <p className="muted">
          Endpoints Keepwell calls when something happens, signed by the Standard Webhooks scheme; every
          email, Slack post and webhook call with its attempts; and what could not be delivered.
        </p>
        <AlertsNav current="/webhooks" />
      </div>
      <div className="tabs" role="tablist" aria-label="Webhooks" tabIndex={-1} onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.key}
            id={`tab-${t.key}`}
            type="button"
            role="tab"
            aria-selected={tab === t.key}
            aria-controls={`panel-${t.key}`}
            tabIndex={tab === t.key ? 0 : -1}
            onClick={() => go(t.key)}
            data-testid={`tab-${t.key}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="page">
        {tab === "endpoints" && <EndpointsTab />}
        {tab === "deliveries" && <DeliveriesTab />}
        {tab === "dead" && <DeadLettersTab />}
      </div>
    </div>
  );
}
