import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, allows } from "../auth/index.js";
import { EVENT_TYPES } from "../domain/notify/index.js";
import { deliveryDetail, getDelivery, listDeliveries, replayDelivery } from "../notify/delivery-log.js";
import { POLL_LIMIT_MAX, pollEvents } from "../notify/event-poll.js";
import {
  createWebhook,
  getWebhook,
  invalid,
  listWebhooks,
  removeWebhook,
  rotateWebhookSecret,
  updateWebhook,
} from "../notify/webhook-admin.js";
import { sendTestEvent } from "../notify/webhook-test.js";
import { checkedInput } from "../playbooks/index.js";
import { principal } from "./guard.js";
import { engineDeps, type NotifyRouteDeps } from "./notify-deps.js";
import { queryInt } from "./params.js";
import {
  csv,
  deliveriesPageSchema,
  deliveryDetailSchema,
  deliverySchema,
  eventsPageSchema,
  hookInput,
  hookSchema,
  rotateInput,
  secretRotatedSchema,
  testSentSchema,
  webhookChange,
  webhookCreatedSchema,
  webhookInput,
  webhookSchema,
} from "./webhook-schemas.js";

/** The polling feed of recent notification events (Zapier and Make polling triggers). */
export const EVENTS_FEED = "/api/v1/notify/events";

const idParam = z.object({ id: z.string().min(1).max(200) });
const noBody = z.object({}).nullish();
const KNOWN: readonly string[] = EVENT_TYPES;

const actor = (req: FastifyRequest) => actorOf(principal(req), req.ip);

/** Webhook endpoints, REST hooks, the polling feed of events, and deliveries with their dead letters. */
export function webhookRoutes(app: FastifyInstance, deps: NotifyRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const engine = () => engineDeps(deps);
  const tags = ["webhooks"];

  r.get(
    "/api/v1/webhooks",
    {
      schema: {
        tags,
        summary: "Webhook endpoints, newest first, with their deliveries counted (never a secret)",
        response: { 200: z.object({ items: z.array(webhookSchema) }) },
      },
    },
    async () => ({ items: await listWebhooks(db) }),
  );

  r.post(
    "/api/v1/webhooks",
    {
      schema: {
        tags,
        summary:
          "Add an endpoint (http(s) URL; event_types empty: every event). Its signing secret (whsec_…) is answered this once; audited",
        body: webhookInput.nullish(),
        response: { 201: webhookCreatedSchema },
      },
    },
    async (req, reply) => {
      const input = checkedInput(webhookInput, req.body);
      const made = await createWebhook(engine(), input, actor(req));
      return reply.code(201).send(made);
    },
  );

  r.get(
    "/api/v1/webhooks/:id",
    { schema: { tags, summary: "One endpoint", params: idParam, response: { 200: webhookSchema } } },
    async (req) => getWebhook(db, req.params.id),
  );

  r.patch(
    "/api/v1/webhooks/:id",
    {
      schema: {
        tags,
        summary:
          "Change an endpoint: its URL, description, events, or disable it (its pending deliveries are cancelled) or enable it again; audited",
        params: idParam,
        body: webhookChange.nullish(),
        response: { 200: webhookSchema },
      },
    },
    async (req) => {
      const { enabled, disabled, ...rest } = checkedInput(webhookChange, req.body);
      if (enabled !== undefined && disabled !== undefined && enabled === disabled)
        throw invalid("enabled", "contradicts disabled (send one of them)");
      return updateWebhook(
        engine(),
        req.params.id,
        { ...rest, disabled: disabled ?? (enabled === undefined ? undefined : !enabled) },
        actor(req),
      );
    },
  );

  r.delete(
    "/api/v1/webhooks/:id",
    {
      schema: {
        tags,
        summary:
          "Remove an endpoint: disabled for good and its pending deliveries cancelled (kept, for the log); audited",
        params: idParam,
      },
    },
    async (req, reply) => {
      await removeWebhook(engine(), req.params.id, actor(req));
      return reply.code(204).send();
    },
  );

  r.post(
    "/api/v1/webhooks/:id/rotate",
    {
      schema: {
        tags,
        summary:
          "A new signing secret, answered this once; the old one keeps signing beside it for grace_hours (default 24); audited",
        params: idParam,
        body: rotateInput.nullish(),
        response: { 200: secretRotatedSchema },
      },
    },
    async (req) => {
      const { grace_hours } = checkedInput(rotateInput, req.body);
      return rotateWebhookSecret(engine(), req.params.id, grace_hours ?? 24, actor(req));
    },
  );

  r.post(
    "/api/v1/webhooks/:id/test",
    {
      schema: {
        tags,
        summary:
          "Send the endpoint a test event (webhook.test, a made-up account) now, and answer how the delivery went",
        params: idParam,
        body: noBody,
        response: { 200: testSentSchema },
      },
    },
    async (req) => {
      const id = await sendTestEvent(engine(), req.params.id, actor(req));
      return { ...(await getDelivery(db, id)), delivery_id: id };
    },
  );

  // ------------------------------------------------------------ REST hooks (Zapier)

  r.post(
    "/api/v1/hooks",
    {
      schema: {
        tags: ["hooks"],
        summary:
          "Subscribe a REST hook (Zapier): target_url gets every event of the type. Signed like any endpoint, though its secret is not shown (Zapier does not verify)",
        body: hookInput.nullish(),
        response: { 201: hookSchema },
      },
    },
    async (req, reply) => {
      const { target_url, event } = checkedInput(hookInput, req.body);
      if (!KNOWN.includes(event))
        throw invalid("event", `unknown event type "${event}" (one of ${KNOWN.join(", ")})`);
      const made = await createWebhook(
        engine(),
        { url: target_url, event_types: [event], source: "rest_hook" },
        actor(req),
        { url: "target_url", event_types: "event" },
      );
      return reply.code(201).send({ id: made.id, target_url: made.url, event });
    },
  );

  r.delete(
    "/api/v1/hooks/:id",
    {
      schema: {
        tags: ["hooks"],
        summary: "Unsubscribe a REST hook (a key may remove the hooks it made)",
        params: idParam,
      },
    },
    async (req, reply) => {
      const who = principal(req);
      await removeWebhook(engine(), req.params.id, actor(req), {
        restHook: true,
        any: allows(who, "notify.manage"),
      });
      return reply.code(204).send();
    },
  );

  // ------------------------------------------------------------ deliveries

  r.get(
    "/api/v1/deliveries",
    {
      schema: {
        tags: ["deliveries"],
        summary: "Outgoing emails, Slack posts and webhook calls, newest first, a page at a time",
        querystring: z.object({
          state: csv.optional().describe("comma-separated: dead,uncertain shows the dead letters"),
          channel: csv.optional().describe("comma-separated: email, slack, webhook"),
          endpoint: z.string().max(200).optional(),
          alert: z.string().max(200).optional(),
          limit: queryInt(1, 500).default(50),
          cursor: z.string().max(1000).optional().describe("the next_cursor of the previous page"),
        }),
        response: { 200: deliveriesPageSchema },
      },
    },
    async (req) => listDeliveries(db, req.query),
  );

  r.get(
    "/api/v1/deliveries/:id",
    {
      schema: {
        tags: ["deliveries"],
        summary: "One delivery with its attempts and what it sends",
        params: idParam,
        response: { 200: deliveryDetailSchema },
      },
    },
    async (req) => deliveryDetail(db, req.params.id),
  );

  r.post(
    "/api/v1/deliveries/:id/replay",
    {
      schema: {
        tags: ["deliveries"],
        summary:
          "Send a dead, uncertain, cancelled (or delivered) delivery again, with the same id (webhook-id); audited",
        params: idParam,
        body: noBody,
        response: { 200: deliverySchema },
      },
    },
    async (req) => replayDelivery(engine(), req.params.id, actor(req)),
  );

  // ------------------------------------------------------------ the events feed

  // GET /api/v1/events is taken (the ingested usage events, read-routes.ts): the feed has its own path.
  r.get(
    EVENTS_FEED,
    {
      schema: {
        tags: ["events"],
        summary:
          "Recent events, newest first by id (for polling triggers: dedupe on id); each one's data as its webhooks carry it",
        querystring: z.object({
          type: csv.optional().describe("comma-separated event types"),
          account: z.string().max(200).optional(),
          limit: queryInt(1, POLL_LIMIT_MAX).default(50),
          before: z.string().max(20).optional().describe("events older than this id (next_before)"),
          since: z.string().max(20).optional().describe("events newer than this id"),
        }),
        response: { 200: eventsPageSchema },
      },
    },
    async (req) => {
      const { type, ...rest } = req.query;
      return pollEvents(db, { ...rest, types: type }, deps.publicUrl());
    },
  );
}
