import type { QueryKey } from "@tanstack/react-query";
import { commands } from "../bindings.gen";
import { call } from "./errors";
import { queryKeys } from "./keys";
import type { DirectoryQuery, GroupPage, GroupRow, MemberPage, MemberRow, UserPage, UserRow } from "./types";

/** One window of a long list in the local copy, with how many rows match in all (UserPage, GroupPage, MemberPage). */
export type WindowPage<Row> = { total: number; offset: number; rows: Row[] };

/**
 * A long list in the local copy, read a window at a time (DataTable's windowed mode): Rust searches,
 * filters, sorts and counts; `queryKey` names one window for TanStack Query, `read` reads it.
 */
export type WindowedSource<Row, Page extends WindowPage<Row> = WindowPage<Row>> = {
  queryKey: (query: DirectoryQuery) => QueryKey;
  read: (query: DirectoryQuery) => Promise<Page>;
};

/** The most rows Rust returns for one window. */
export const MAX_WINDOW = 500;

/** The users (Users page). Under `queryKeys.users`: every users invalidation re-reads the window from the copy. */
export const userSource: WindowedSource<UserRow, UserPage> = {
  queryKey: queryKeys.usersWindow,
  read: (query) => call(commands.queryUsers(query)),
};

/** The groups (Groups page), under `queryKeys.groups`. */
export const groupSource: WindowedSource<GroupRow, GroupPage> = {
  queryKey: queryKeys.groupsWindow,
  read: (query) => call(commands.queryGroups(query)),
};

/** A group's direct members (under `queryKeys.groups`: group changes re-read them). */
export function memberSource(groupId: string): WindowedSource<MemberRow, MemberPage> {
  return {
    queryKey: (query) => queryKeys.groupMembers(groupId, query),
    read: (query) => call(commands.queryGroupMembers(groupId, query)),
  };
}

/** A group's owners (under `queryKeys.groups`). */
export function ownerSource(groupId: string): WindowedSource<MemberRow, MemberPage> {
  return {
    queryKey: (query) => queryKeys.groupOwners(groupId, query),
    read: (query) => call(commands.queryGroupOwners(groupId, query)),
  };
}

/** Who holds a licence, directly or through a group (under `queryKeys.users`: licence and people changes re-read it). */
export function licenceHolderSource(skuId: string): WindowedSource<UserRow, UserPage> {
  return {
    queryKey: (query) => queryKeys.licenceHolders(skuId, query),
    read: (query) => call(commands.queryLicenseHolders(skuId, query)),
  };
}

/** The rows `query` matches from `from` to `to` (inclusive), read `MAX_WINDOW` at a time (CSV export, selection ranges). */
export async function readRange<Row>(
  source: WindowedSource<Row, WindowPage<Row>>,
  query: DirectoryQuery,
  from: number,
  to: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let offset = from; offset <= to; ) {
    const page = await source.read({ ...query, offset, limit: Math.min(MAX_WINDOW, to + 1 - offset) });
    rows.push(...page.rows);
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.total) break;
  }
  return rows;
}
