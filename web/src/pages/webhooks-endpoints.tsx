import { useState } from "react";
import { Async, Empty, Panel } from "../components/states";
import { can } from "../lib/access";
import { count, dateTime } from "../lib/format";
import { eventLabel, type Webhook } from "../lib/notify-types";
import { Link } from "../lib/router";
import { useUser } from "../lib/session";
import { useApi } from "../lib/use-api";
import { CreateEndpoint, SecretNotice, type Shown } from "./webhooks-create";
import { EndpointActions } from "./webhooks-endpoint-actions";

/** The endpoints: their events, how their deliveries stand, and what an admin may do with each. */
export function EndpointsTab() {
  const admin = can(useUser(), "notify.manage");
  const list = useApi<{ items: Webhook[] }>("/api/v1/webhooks");
  const [shown, setShown] = useState<Shown | null>(null);
  return (
    <>
      {shown && <SecretNotice shown={shown} onDone={() => setShown(null)} />}
      {admin && (
        <CreateEndpoint
          onCreated={(made) => {
            setShown({ kind: "created", id: made.id, url: made.url, secret: made.secret });
            list.reload();
          }}
        />
      )}
      <Panel title="Endpoints" id="endpoints">
        <Async value={list} what="the webhook endpoints" height={120}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty>No endpoints yet.</Empty>
            ) : (
              <div className="table-wrap">
                <table data-testid="endpoints">
                  <thead>
                    <tr>
                      <th scope="col">Endpoint</th>
                      <th scope="col">Events</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Delivered
                      </th>
                      <th scope="col" className="num">
                        Pending
                      </th>
                      <th scope="col" className="num">
                        Dead
                      </th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((w) => (
                      <tr
                        key={w.id}
                        data-testid="endpoint"
                        data-id={w.id}
                        data-url={w.url}
                        data-state={w.disabled_at ? "disabled" : "active"}
                        className={w.disabled_at ? "inactive" : ""}
                      >
                        <td>
                          <span className="endpoint-url">{w.url}</span>
                          {w.source === "rest_hook" && <span className="tag">REST hook</span>}
                          <small>
                            {w.description ? `${w.description} · ` : ""}added {dateTime(w.created_at)}
                          </small>
                        </td>
                        <td>
                          {w.event_types.length === 0 ? "all" : w.event_types.map(eventLabel).join(", ")}
                        </td>
                        <td data-testid="endpoint-state">
                          {w.disabled_at ? (
                            <span className="tag inactive-tag" title={dateTime(w.disabled_at)}>
                              disabled{w.disabled_reason ? `: ${w.disabled_reason}` : ""}
                            </span>
                          ) : (
                            "Active"
                          )}
                        </td>
                        <td className="num" data-testid="count-delivered">
                          {count(w.deliveries.delivered)}
                        </td>
                        <td className="num" data-testid="count-pending">
                          {count(w.deliveries.pending)}
                        </td>
                        <td className="num" data-testid="count-dead">
                          {w.deliveries.dead > 0 ? (
                            <Link to="/webhooks?tab=dead">{count(w.deliveries.dead)}</Link>
                          ) : (
                            "0"
                          )}
                        </td>
                        <td>
                          <EndpointActions w={w} onChanged={list.reload} onSecret={setShown} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Panel>
    </>
  );
}
