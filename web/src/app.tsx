import { Component, type ErrorInfo, type ReactNode, useEffect } from "react";
import { Header } from "./components/header";
import { ErrorState, Loading } from "./components/states";
import { Link, navigate, useLocation } from "./lib/router";
import { checkSession, useSession } from "./lib/session";
import { isPublicPage, signInUrl } from "./lib/sign-in-url";
import { AccountPage } from "./pages/account";
import { ApiKeysPage } from "./pages/api-keys";
import { AuditPage } from "./pages/audit";
import { ModelPage } from "./pages/model";
import { MyWorkPage } from "./pages/my-work";
import { NotificationsPage } from "./pages/notifications";
import { PlaybooksPage } from "./pages/playbooks";
import { PortfolioPage } from "./pages/portfolio";
import { ResetPage } from "./pages/reset";
import { ScorecardPage } from "./pages/scorecard";
import { SegmentsPage } from "./pages/segments";
import { NotificationSettingsPage } from "./pages/settings-notifications";
import { SetupPage } from "./pages/setup";
import { SignalsPage } from "./pages/signals";
import { SignInPage } from "./pages/signin";
import { TeamPlaysPage } from "./pages/team-plays";
import { UsersPage } from "./pages/users";
import { WebhooksPage } from "./pages/webhooks";

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
  if (path === "/work") return <MyWorkPage />;
  if (path === "/team") return <TeamPlaysPage />;
  if (path === "/playbooks") return <PlaybooksPage />;
  if (path === "/signals") return <SignalsPage />;
  if (path === "/segments") return <SegmentsPage />;
  if (path === "/scorecard") return <ScorecardPage />;
  if (path === "/model") return <ModelPage />;
  if (path === "/users") return <UsersPage />;
  if (path === "/api-keys") return <ApiKeysPage />;
  if (path === "/audit") return <AuditPage />;
  if (path === "/notifications") return <NotificationsPage />;
  if (path === "/webhooks") return <WebhooksPage />;
  if (path === "/settings/notifications") return <NotificationSettingsPage />;
  return (
    <div className="state state-empty">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the portfolio</Link>.
      </p>
    </div>
  );
}

/** Signing in, first-run setup and setting a password: shown to anyone, without the header. */
function PublicPage({ path }: { path: string }) {
  const p = path.replace(/\/+$/, "");
  if (p === "/setup") return <SetupPage />;
  if (p === "/reset") return <ResetPage />;
  return <SignInPage />;
}

export function App() {
  const { path, params } = useLocation();
  const session = useSession();
  const open = isPublicPage(path);
  useEffect(() => {
    if (open) return;
    if (session.status === "unknown") void checkSession();
    if (session.status === "signed_out")
      navigate(signInUrl(window.location.pathname + window.location.search), { replace: true });
  }, [open, session.status]);

  if (open)
    return (
      <Boundary resetKey={path}>
        <PublicPage path={path} key={params.get("token") ?? ""} />
      </Boundary>
    );
  if (session.status === "failed")
    return (
      <main className="container">
        <ErrorState error={session.error} onRetry={() => void checkSession()} what="your session" />
      </main>
    );
  if (session.status !== "signed_in") return <Loading label="Loading Keepwell…" height={200} />;
  return (
    <>
      <Header path={path} user={session.user} />
      <main className="container">
        <Boundary resetKey={path}>
          <Page path={path} />
        </Boundary>
      </main>
    </>
  );
}
