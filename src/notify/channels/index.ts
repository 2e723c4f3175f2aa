export { createMailer, type Mailer } from "./email.js";
export { closeHttpAgent } from "./http.js";
export { postSlack } from "./slack.js";
export type { EmailMessage, SendResult, SlackMessage, SmtpSettings, WebhookMessage } from "./types.js";
export { newWebhookSecret, postWebhook, signatureHeaders } from "./webhook.js";
