import { Component, type ErrorInfo, type ReactNode } from "react";
import { Link, useLocation } from "./lib/router";
import { AccountPage } from "./pages/account";
import { ModelPage } from "./pages/model";
import { PortfolioPage } from "./pages/portfolio";
import { ScorecardPage } from "./pages/scorecard";
import { SegmentsPage } from "./pages/segments";

const NAV = [
  { to: "/", label: "Portfolio", match: (p: string) => p === "/" || p.startsWith("/accounts") },
  { to: "/segments", label: "Segments", match: (p: string) => p.startsWith("/segments") },
  { to: "/scorecard", label: "Scorecard", match: (p: string) => p.startsWith("/scorecard") },
  { to: "/model", label: "Churn model", match: (p: string) => p.startsWith("/model") },
];

/** Shows what broke instead of a blank page when a page throws while rendering. */
class Boundary extends Component<
  { children: ReactNode; resetKey: string },
  { error: Error | null; key: string }
> {
  override state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: Error | null; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn("the page failed to render", error, info.componentStack);
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="state state-error" role="alert">
          <strong>This page failed to show.</strong> {this.state.error.message}{" "}
          <button type="button" className="button small" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}

function Page({ path }: { path: string }) {
  if (path === "/" || path === "/portfolio") return <PortfolioPage />;
  const account = /^\/accounts\/([^/]+)\/?$/.exec(path);
  if (account) return <AccountPage id={decodeURIComponent(account[1]!)} />;
  if (path === "/segments") return <SegmentsPage />;
  if (path === "/scorecard") return <ScorecardPage />;
  if (path === "/model") return <ModelPage />;
  return (
    <div className="state state-empty">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the portfolio</Link>.
      </p>
    </div>
  );
}

export function App() {
  const { path } = useLocation();
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="#1e7b3c" />
              <path
                d="M6 17h5l3-7 4 13 3-6h5"
                fill="none"
                stroke="#fff"
                strokeWidth="2.6"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
            Keepwell
          </Link>
          <nav aria-label="Main">
            {NAV.map((n) => (
              <Link key={n.to} to={n.to} className={n.match(path) ? "active" : undefined}>
                {n.label}
              </Link>
            ))}
          </nav>
          <a className="docs-link" href="/docs">
            API
          </a>
        </div>
      </header>
      <main className="container">
        <Boundary resetKey={path}>
          <Page path={path} />
        </Boundary>
      </main>
    </>
  );
}
