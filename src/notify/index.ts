export {
  closeMailers,
  type DeliverySummary,
  deliverDeliveries,
  reconcileAbandoned,
  requeueOverdue,
} from "./deliver.js";
export {
  deliveryDetail,
  getDelivery,
  listDeliveries,
  replayDelivery,
} from "./delivery-log.js";
export type { NotifyDeps } from "./deps.js";
export { writeDueDigests } from "./digests.js";
export { pollEvents } from "./event-poll.js";
export { listNotifications, markRead, unreadCount } from "./inbox.js";
export { getPrefs, putPrefs } from "./prefs.js";
export { NOTIFY_LOCK, type RouteSummary, routePendingEvents } from "./route.js";
export { applySettings, type SettingsView, settingsView } from "./settings-admin.js";
export { addSubscription, listSubscriptions, removeSubscription } from "./subscriptions.js";
export { notifySweep, type SweepSummary } from "./sweep.js";
export { sendTestEmail, TEST_EMAIL_EVENT } from "./test-email.js";
export {
  createWebhook,
  getWebhook,
  listWebhooks,
  removeWebhook,
  rotateWebhookSecret,
  updateWebhook,
} from "./webhook-admin.js";
export { sendTestEvent } from "./webhook-test.js";
