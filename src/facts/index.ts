export {
  listAccounts,
  getAccount,
  countFacts,
  ACCOUNT_SORTS,
  ACCOUNT_SELECT,
  type AccountQuery,
} from "./accounts.js";
export { listRecords, selectFields, type RecordQuery } from "./records.js";
export { encodeCursor, decodeCursor, type Page } from "./pages.js";
