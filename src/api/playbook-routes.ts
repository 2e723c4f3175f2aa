import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../auth/index.js";
import { JOBS, type JobQueue } from "../jobs/index.js";
import {
  activePlaybooks,
  checkPlaybooks,
  playbooksFileText,
  playbooksYaml,
  playbookVersions,
  savePlaybooks,
  simulateStored,
  validatePlaybooks,
  writePlaybooksFile,
} from "../playbooks/index.js";
import type { Db } from "../store/index.js";
import { principal } from "./guard.js";
import { bodyOf } from "./play-routes.js";

export interface PlaybookRouteOptions {
  db: Db;
  clock: () => Date;
  /** Where a change is also written (keepwell.playbooks.yaml), so the file and the store agree. */
  playbooksFile?: string | undefined;
  /** Where the playbooks' evaluation is queued after a change (none without it). */
  jobs?: JobQueue | undefined;
}

const anyObject = z.record(z.string(), z.unknown());
const tags = ["playbooks"];

const playbooksAnswer = z.object({
  version: z.number(),
  source: z.string().describe("default, file or api"),
  created_at: z.string(),
  playbooks: anyObject.describe("the active definition"),
  yaml: z.string().describe("the active version as YAML (the file's own text when it holds this version)"),
  versions: z.array(z.object({ version: z.number(), source: z.string(), created_at: z.string() })),
});

/** Playbooks sent as YAML text (a YAML body, or {yaml: "..."}) or as the JSON definition. */
function inputOf(body: unknown): unknown {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const keys = Object.keys(body);
    const yaml = (body as { yaml?: unknown }).yaml;
    if (keys.length === 1 && typeof yaml === "string") return yaml;
  }
  return body ?? {};
}

/** JSON with its keys in order, to compare definitions (jsonb reorders keys). */
/** The playbooks (GET, PUT), their check, and the simulator over the stored score history. */
export function playbookRoutes(app: FastifyInstance, opts: PlaybookRouteOptions): void {
  const { db, clock } = opts;
  // YAML bodies (the scorecard's routes may have taught the server already).
  if (!app.hasContentTypeParser("text/yaml"))
    app.addContentTypeParser(
      ["application/yaml", "application/x-yaml", "text/yaml"],
      { parseAs: "string" },
      (_r, body, done) => done(null, body),
    );
  const r = app.withTypeProvider<ZodTypeProvider>();
  const passThrough = () => (data: unknown) => ({ value: data });

  const answer = async () => {
    const active = await activePlaybooks(db);
    return {
      version: active.version,
      source: active.source,
      created_at: active.created_at,
      playbooks: active.playbooks as unknown as Record<string, unknown>,
      yaml: playbooksYaml(active, opts.playbooksFile),
      versions: await playbookVersions(db),
    };
  };

  r.get(
    "/api/v1/playbooks",
    {
      schema: {
        tags,
        summary: "The active playbooks (as a definition and as YAML) and their version history",
        response: { 200: playbooksAnswer },
      },
    },
    answer,
  );

  r.put(
    "/api/v1/playbooks",
    {
      schema: {
        tags,
        summary:
          "Replace the playbooks: the JSON definition, YAML (Content-Type text/yaml or application/yaml), or {yaml: TEXT}; each change is a new version, audited, written to the playbooks file",
        body: z.union([z.string(), anyObject]),
        response: { 200: playbooksAnswer },
      },
      validatorCompiler: passThrough,
    },
    async (req) => {
      const playbooks = await validatePlaybooks(db, inputOf(req.body));
      const { saved, changed } = await db.transaction(async (tx) => {
        await activePlaybooks(tx);
        return savePlaybooks(tx, playbooks, "api", actorOf(principal(req), req.ip));
      });
      if (opts.playbooksFile && playbooksFileText(opts.playbooksFile, saved.playbooks) === undefined)
        writePlaybooksFile(opts.playbooksFile, saved.playbooks);
      if (changed && opts.jobs) {
        // The new playbooks apply at once, not at the next scoring run.
        await opts.jobs.send(JOBS.evaluatePlaybooks, { as_of: clock().toISOString() });
        opts.jobs.wake(JOBS.evaluatePlaybooks);
      }
      return answer();
    },
  );

  r.post(
    "/api/v1/playbooks/check",
    {
      schema: {
        tags,
        summary:
          "Check playbooks without saving them (the same bodies as PUT): every problem with its path, and its line in YAML",
        body: z.union([z.string(), anyObject]).optional(),
        response: {
          200: z.object({
            ok: z.boolean(),
            errors: z
              .array(z.object({ path: z.string(), message: z.string(), line: z.number().optional() }))
              .optional(),
          }),
        },
      },
      validatorCompiler: passThrough,
    },
    async (req) => {
      const r = await checkPlaybooks(db, inputOf(req.body));
      return r.ok ? { ok: true } : { ok: false, errors: r.errors };
    },
  );

  const simulateBody = z.object({
    yaml: z.string().optional().describe("playbooks as YAML (the active ones when neither is sent)"),
    playbooks: anyObject.optional().describe("playbooks as a definition"),
    from: z.string().describe("YYYY-MM-DD"),
    to: z.string().describe("YYYY-MM-DD"),
  });
  r.post(
    "/api/v1/playbooks/simulate",
    {
      schema: {
        tags,
        summary:
          "Replay playbooks over the stored monthly score history from..to, writing nothing: plays per week and per owner, churners reached and how early, ARR covered",
        body: simulateBody.nullish(),
        response: { 200: anyObject },
      },
    },
    async (req) => {
      const body = bodyOf(simulateBody, req.body);
      const playbooks =
        body.yaml !== undefined
          ? await validatePlaybooks(db, body.yaml)
          : body.playbooks !== undefined
            ? await validatePlaybooks(db, body.playbooks)
            : (await activePlaybooks(db)).playbooks;
      const report = await simulateStored(db, { playbooks, from: body.from, to: body.to });
      return report as unknown as Record<string, unknown>;
    },
  );
}
