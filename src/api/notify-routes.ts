import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, allows } from "../auth/index.js";
import { AppError } from "../errors.js";
import { listNotifications, markInput, markRead, unreadCount } from "../notify/inbox.js";
import { getPrefs, prefsInput, putPrefs } from "../notify/prefs.js";
import { applySettings, settingsInput, settingsView } from "../notify/settings-admin.js";
import {
  addSubscription,
  listSubscriptions,
  removeSubscription,
  type Subscriber,
  subscriptionInput,
} from "../notify/subscriptions.js";
import { sendTestEmail, testEmailInput } from "../notify/test-email.js";
import { principal } from "./guard.js";
import { engineDeps, type NotifyRouteDeps } from "./notify-deps.js";
import {
  anyBody,
  checked,
  idParam,
  markedSchema,
  myPrefsSchema,
  notificationListSchema,
  notifySettingsSchema,
  subscriptionListSchema,
  subscriptionSchema,
  testEmailSchema,
  unreadSchema,
} from "./notify-schemas.js";
import { queryInt } from "./params.js";

const tags = ["notifications"];

/** The signed-in person (the guard lets no key reach a `self` route). */
function me(req: FastifyRequest) {
  const who = principal(req);
  if (who.kind !== "user")
    throw new AppError("forbidden", "this is a signed-in person's own; an API key has none");
  return who.user;
}

function subscriber(req: FastifyRequest): Subscriber {
  const who = principal(req);
  return { user: me(req).id, admin: allows(who, "notify.manage"), actor: actorOf(who, req.ip) };
}

/** In-app notifications, a person's preferences and subscriptions, the team's notification settings. */
export function notifyRoutes(app: FastifyInstance, deps: NotifyRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = deps;
  const view = () => settingsView(db, { envSmtp: deps.smtp, publicUrl: deps.publicUrl() });

  r.get(
    "/api/v1/notifications",
    {
      schema: {
        tags,
        summary:
          "Your notifications (alerts for you), newest first, a page at a time, with your unread count",
        querystring: z.object({
          unread: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional()
            .describe("true: only those not read yet"),
          limit: queryInt(1, 200).default(50),
          cursor: z.string().max(1000).optional().describe("the next_cursor of the previous page"),
        }),
        response: { 200: notificationListSchema },
      },
    },
    async (req) => listNotifications(db, me(req).id, req.query),
  );

  r.get(
    "/api/v1/notifications/unread",
    {
      schema: { tags, summary: "How many of your notifications are unread", response: { 200: unreadSchema } },
    },
    async (req) => ({ unread: await unreadCount(db, me(req).id) }),
  );

  r.post(
    "/api/v1/notifications/read",
    {
      schema: {
        tags,
        summary: "Mark your notifications read: {ids: [...]} or {all: true}; ids not yours are passed over",
        body: anyBody,
        response: { 200: markedSchema },
      },
    },
    async (req) => markRead(db, me(req).id, checked(markInput, req.body), clock()),
  );

  r.get(
    "/api/v1/me/notifications",
    { schema: { tags, summary: "Your notification preferences", response: { 200: myPrefsSchema } } },
    async (req) => getPrefs(db, me(req).id),
  );

  r.put(
    "/api/v1/me/notifications",
    {
      schema: {
        tags,
        summary:
          "Change your notification preferences (a field left out keeps its value; slack_webhook_url is write-only, null clears it)",
        body: anyBody,
        response: { 200: myPrefsSchema },
      },
    },
    async (req) => putPrefs(db, deps.secrets, me(req).id, checked(prefsInput, req.body), clock()),
  );

  r.get(
    "/api/v1/me/subscriptions",
    {
      schema: {
        tags,
        summary: "What you follow (and, for admins, what the Slack channels follow)",
        response: { 200: subscriptionListSchema },
      },
    },
    async (req) => ({ items: await listSubscriptions(db, subscriber(req)) }),
  );

  r.post(
    "/api/v1/me/subscriptions",
    {
      schema: {
        tags,
        summary:
          "Follow an account, a segment, a band or an event type (admins: for a Slack channel, with channel_id); the same again answers the one there",
        body: anyBody,
        response: { 200: subscriptionSchema, 201: subscriptionSchema },
      },
    },
    async (req, reply) => {
      const { subscription, created } = await addSubscription(
        db,
        subscriber(req),
        checked(subscriptionInput, req.body),
        clock(),
      );
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );

  r.delete(
    "/api/v1/me/subscriptions/:id",
    {
      schema: {
        tags,
        summary: "Stop following (your own; admins also a channel's)",
        params: idParam,
      },
    },
    async (req, reply) => {
      await removeSubscription(db, subscriber(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/v1/notifications/settings",
    {
      schema: {
        tags,
        summary: "The team's notification settings: SMTP, Slack channels, budgets (never a secret)",
        response: { 200: notifySettingsSchema },
      },
    },
    async () => view(),
  );

  r.put(
    "/api/v1/notifications/settings",
    {
      schema: {
        tags,
        summary:
          "Change the team's notification settings (a part left out keeps its value; the SMTP password and Slack URLs are write-only); audited",
        body: anyBody,
        response: { 200: notifySettingsSchema },
      },
    },
    async (req) =>
      applySettings(db, deps.secrets, checked(settingsInput, req.body), {
        actor: actorOf(principal(req), req.ip),
        now: clock(),
        envSmtp: deps.smtp,
        publicUrl: deps.publicUrl(),
      }),
  );

  r.post(
    "/api/v1/notifications/test-email",
    {
      schema: {
        tags,
        summary: "Send a test email now through the settings as saved; answers what the SMTP server said",
        body: anyBody,
        response: { 200: testEmailSchema },
      },
    },
    async (req) => sendTestEmail(engineDeps(deps), checked(testEmailInput, req.body).to),
  );
}
