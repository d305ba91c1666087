import type { CustomRequestForm } from "../../api";
import { jsonMistake } from "./jsonMistake";

export const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** The most pages "Follow next pages" fetches (Rust's `directory::custom::FOLLOW_PAGE_LIMIT`). */
export const FOLLOW_PAGE_LIMIT = 20;

export type Row = { name: string; value: string };

/** What the person typed, kept as typed (half-typed rows included). */
export type RequestDraft = {
  method: Method;
  path: string;
  query: Row[];
  headers: Row[];
  body: string;
  followPages: boolean;
};

export const EMPTY_DRAFT: RequestDraft = {
  method: "GET",
  path: "/users?$top=5",
  query: [],
  headers: [],
  body: "",
  followPages: false,
};

/** Fields a message can belong to (Rust's validation `field` names are the same). */
export type DraftField = "path" | "query" | "headers" | "body" | "followPages" | "method";
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The app sets these itself; the same list Rust refuses (`msgraph::is_reserved_header`). */
const RESERVED_HEADERS = ["authorization", "host", "cookie", "content-length", "transfer-encoding", "connection"];

const hasBody = (method: Method) => method !== "GET";
const isBlankRow = (row: Row) => row.name.trim() === "" && row.value.trim() === "";

/** Checks the draft as it is typed; Rust checks it again and names the field if it disagrees. */
export function checkDraft(draft: RequestDraft): DraftErrors {
  const errors: DraftErrors = {};
  const path = draft.path.trim();
  if (path === "") errors.path = "Enter the address, for example /users or /groups?$top=5.";
  else if (!path.startsWith("/")) errors.path = "Start with /, like /users: requests go to Microsoft Graph v1.0 only.";
  else if (/^\/(v1\.0|beta)(\/|$)/i.test(path)) errors.path = "Leave out the version: write /users, not /v1.0/users (requests always go to v1.0).";

  const query = draft.query.filter((row) => !isBlankRow(row));
  if (query.some((row) => row.name.trim() === "")) errors.query = "Every query parameter needs a name, for example $top.";

  for (const row of draft.headers.filter((r) => !isBlankRow(r))) {
    const name = row.name.trim();
    if (name === "") {
      errors.headers = "Every header needs a name, for example ConsistencyLevel.";
    } else if (RESERVED_HEADERS.includes(name.toLowerCase())) {
      errors.headers = `Remove the ${name} header: Entra Desk sets it itself (your sign-in is added to every request).`;
    } else if (name.toLowerCase() === "content-type" && (row.value.split(";")[0] ?? "").trim().toLowerCase() !== "application/json") {
      errors.headers = `Remove the Content-Type header: the body is always sent as JSON, and Entra Desk labels it so itself (${row.value.trim() || "an empty type"} can't be used).`;
    }
    if (errors.headers) break;
  }

  if (hasBody(draft.method) && draft.body.trim() !== "") {
    const mistake = jsonMistake(draft.body);
    if (mistake) errors.body = `The body is not valid JSON: line ${mistake.line}, column ${mistake.column}: ${mistake.message}`;
  }
  return errors;
}

/** What Rust receives: blank rows left out, no body for GET, following only for GET. */
export function buildRequest(draft: RequestDraft): CustomRequestForm {
  const rows = (list: Row[]) => list.filter((row) => !isBlankRow(row)).map((row) => ({ name: row.name.trim(), value: row.value }));
  return {
    method: draft.method,
    path: draft.path.trim(),
    query: rows(draft.query),
    headers: rows(draft.headers),
    body: hasBody(draft.method) && draft.body.trim() !== "" ? draft.body : null,
    followPages: draft.method === "GET" && draft.followPages,
  };
}
