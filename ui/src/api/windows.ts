import type { QueryKey } from "@tanstack/react-query";
import { commands } from "../bindings.gen";
import { call } from "./errors";
import { queryKeys } from "./keys";
import type { DirectoryQuery, GroupPage, GroupRow, LocalCriterion, MemberPage, MemberRow, UserPage, UserRow } from "./types";

/** What a table asks of a long list: the search text, the sort and which rows ([offset, offset + limit)). */
export type WindowRequest = { text: string | null; sort: string | null; descending: boolean; offset: number; limit: number };

/** One window of a long list, with how many rows match in all (UserPage, GroupPage, MemberPage). */
export type WindowPage<Row> = { total: number; offset: number; rows: Row[] };

/**
 * A long list read a window at a time (DataTable's windowed mode): the TanStack Query key of one window
 * (the query and the window) and how to read it. Rust answers at most 500 rows per window.
 */
export type WindowedSource<Row, Page extends WindowPage<Row> = WindowPage<Row>> = {
  queryKey: (request: WindowRequest) => QueryKey;
  read: (request: WindowRequest) => Promise<Page>;
};

/** The most rows Rust returns for one window. */
export const MAX_WINDOW = 500;

const withCriteria = (request: WindowRequest, criteria: LocalCriterion[]): DirectoryQuery => ({ ...request, criteria });

/**
 * The users in the local copy matching `criteria` (Advanced search), searched, sorted and counted in
 * SQLite. Every window is under `queryKeys.users`, so each users invalidation re-reads it from the copy.
 */
export function userSource(criteria: LocalCriterion[] = []): WindowedSource<UserRow, UserPage> {
  return {
    queryKey: (request) => queryKeys.usersWindow(withCriteria(request, criteria)),
    read: (request) => call(commands.queryUsers(withCriteria(request, criteria))),
  };
}

/** The groups in the local copy matching `criteria` (like `userSource`; under `queryKeys.groups`). */
export function groupSource(criteria: LocalCriterion[] = []): WindowedSource<GroupRow, GroupPage> {
  return {
    queryKey: (request) => queryKeys.groupsWindow(withCriteria(request, criteria)),
    read: (request) => call(commands.queryGroups(withCriteria(request, criteria))),
  };
}

/** A group's direct members in the local copy (under `queryKeys.groups`: group changes re-read them). */
export function memberSource(groupId: string): WindowedSource<MemberRow, MemberPage> {
  return {
    queryKey: (request) => queryKeys.groupMembers(groupId, withCriteria(request, [])),
    read: (request) => call(commands.queryGroupMembers(groupId, withCriteria(request, []))),
  };
}
