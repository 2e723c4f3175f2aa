export {
  ACCOUNT_SELECT,
  ACCOUNT_SORTS,
  type AccountListed,
  type AccountQuery,
  type AccountWithScore,
  countFacts,
  getAccount,
  listAccounts,
  type OpenPlayMark,
} from "./accounts.js";
export { decodeCursor, encodeCursor, type Page } from "./pages.js";
export { listRecords, type RecordQuery, selectFields } from "./records.js";
