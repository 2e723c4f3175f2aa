import { type PostOptions, postJson } from "./http.js";
import type { SendResult, SlackMessage } from "./types.js";

/**
 * Posts a message to a Slack incoming webhook. Slack answers 200 "ok", or a
 * status with a reason in words ("invalid_payload", "channel_is_archived");
 * both are passed through. The URL's path is its token: errors name the host only.
 */
export async function postSlack(url: string, msg: SlackMessage, opts: PostOptions = {}): Promise<SendResult> {
  return postJson(
    url,
    JSON.stringify({ text: msg.text, blocks: msg.blocks }),
    { "user-agent": "Keepwell/1" },
    {
      ...opts,
      secretPath: true,
      describe: (status, host) => `${host} answered ${status}`,
    },
  );
}
