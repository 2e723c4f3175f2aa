import { z } from "zod";
import type { JobDefinition } from "./index.js";

/**
 * Reads the stored text of tickets, notes, survey comments and lost deals
 * again (redetectText) after the competitors change, so new names are found
 * and removed ones dropped. Jobs queued together run once.
 */
export const REDETECT_TEXT = "redetect-text";
export const redetectTextPayload = z.object({}).passthrough();
export type RedetectTextPayload = z.infer<typeof redetectTextPayload>;

export const redetectTextJob = {
  name: REDETECT_TEXT,
  payload: redetectTextPayload,
  // Each run reads everything again: a retry after a failure is a full, safe rerun.
  retryLimit: 3,
  expireInSeconds: 60 * 60,
} as const satisfies JobDefinition;
