import type { ActivityQuery, DirectoryQuery } from "./types";

/**
 * Every query key in one place. Everything that belongs to the signed-in account lives under
 * `account`, so signing in, switching or signing out can drop it all at once.
 */
export const queryKeys = {
  appState: ["appState"] as const,
  account: ["account"] as const,
  users: ["account", "users"] as const,
  /** A window of the Users table (under `users`: every users invalidation re-reads it from the copy). */
  usersWindow: (query: DirectoryQuery) => ["account", "users", "window", query] as const,
  /** Find a person by id, sign-in name or any address (under `users`). */
  findPerson: (key: string) => ["account", "users", "find", key] as const,
  user: (id: string) => ["account", "users", "one", id] as const,
  /** A person as the local copy has it (shown in the drawer until Graph answers). */
  userCopy: (id: string) => ["account", "users", "copy", id] as const,
  userManager: (id: string) => ["account", "users", "one", id, "manager"] as const,
  userGroups: (id: string) => ["account", "users", "one", id, "groups"] as const,
  /** The groups a person owns, from the copy. */
  ownedGroups: (id: string) => ["account", "users", "one", id, "owned"] as const,
  /** A person's direct reports, from the copy. */
  directReports: (id: string) => ["account", "users", "one", id, "reports"] as const,
  userLicenses: (id: string) => ["account", "users", "one", id, "licences"] as const,
  userRoles: (id: string) => ["account", "users", "one", id, "roles"] as const,
  licences: ["account", "licences"] as const,
  /** A window of who holds a licence, from the copy. Under `users`: every change to people (directoryChanged, licenceChanged) re-reads it. */
  licenceHolders: (skuId: string, query: DirectoryQuery) => ["account", "users", "licenceHolders", skuId, query] as const,
  roles: ["account", "roles"] as const,
  /** The organisation's custom roles (under `roles`). */
  customRoles: ["account", "roles", "custom"] as const,
  /** The directory's administrative units (the scopes of a role). */
  administrativeUnits: ["account", "administrativeUnits"] as const,
  /** Who holds a role directory-wide. Under `roles`: invalidating `roles` (roleChanged) refetches members too. */
  roleMembers: (roleTemplateId: string) => ["account", "roles", "members", roleTemplateId] as const,
  /** Reading a role's holders from Graph into the copy (when the copy's are older than a few minutes). */
  roleHoldersRead: (roleTemplateId: string) => ["account", "roles", "read", roleTemplateId] as const,
  /** The organisation's domains (for the New user form's sign-in name). */
  domains: ["account", "domains"] as const,
  groups: ["account", "groups"] as const,
  groupsWindow: (query: DirectoryQuery) => ["account", "groups", "window", query] as const,
  group: (id: string) => ["account", "groups", "one", id] as const,
  /** A group as the local copy has it (shown in the drawer until Graph answers). */
  groupCopy: (id: string) => ["account", "groups", "copy", id] as const,
  /** A window of a group's members or owners, from the copy (under `groups`). */
  groupMembers: (id: string, query: DirectoryQuery) => ["account", "groups", "one", id, "members", query] as const,
  groupOwners: (id: string, query: DirectoryQuery) => ["account", "groups", "one", id, "owners", query] as const,
  contactFolders: (userId: string) => ["account", "users", "one", userId, "contactFolders"] as const,
  contacts: (userId: string) => ["account", "users", "one", userId, "contacts"] as const,
  contactSearch: (userId: string, folderId: string | null, text: string, includeChildFolders: boolean, resultSet: string) =>
    ["account", "users", "one", userId, "contacts", { folderId, text, includeChildFolders, resultSet }] as const,
  /** Search Group Members in Graph (under `groups`: a membership change re-runs it). */
  groupMemberSearch: (id: string, search: object) => ["account", "groups", "one", id, "memberSearch", search] as const,
  /** A membership rule checked as it is typed (no account data: the same rule says the same everywhere). */
  membershipRule: (rule: string) => ["membershipRule", rule] as const,
  /** Deleted users and groups (read from Microsoft Graph: the local copy does not keep them). */
  deletedItems: ["account", "deletedItems"] as const,
  activity: ["account", "activity"] as const,
  /** Bulk jobs of the account (kept in Rust; a running one reports through events). */
  bulkJobs: ["account", "bulkJobs"] as const,
  bulkJobRows: (id: number) => ["account", "bulkJobs", "rows", id] as const,
  /** Jobs stopped mid-way by a closed or killed app (offered to resume at start). */
  unfinishedBulkJobs: ["account", "bulkJobs", "unfinished"] as const,
  /** The journal of changes made here (under `account`). */
  changes: ["account", "changes"] as const,
  changesQuery: (filter: object) => ["account", "changes", filter] as const,
  /** Whether an entry can be undone now (asked of Graph when the undo dialog opens). */
  undoPlan: (id: number) => ["account", "changes", "undo", id] as const,
  activityQuery: (query: ActivityQuery) => ["account", "activity", query] as const,
  watchStatus: ["account", "watchStatus"] as const,
  watchSettings: ["account", "watchSettings"] as const,
  watchGroupSearch: (text: string) => ["account", "watchGroupSearch", text] as const,
  /** Per computer, not per account: it survives switching accounts. */
  startAtLogin: ["startAtLogin"] as const,
};

/**
 * What each event and mutation makes stale (GitButler-style "invalidates" tags).
 * `reset` keys are dropped (no stale data from another account is ever shown); `invalidate` keys refetch.
 */
export const invalidation = {
  accountChanged: { reset: [queryKeys.account], invalidate: [queryKeys.appState] },
  directoryChanged: { reset: [], invalidate: [queryKeys.users, queryKeys.groups, queryKeys.activity] },
  /** A bulk job ended: the tables, seat counts, deleted items and the jobs themselves. */
  bulkJobEnded: {
    reset: [],
    invalidate: [queryKeys.users, queryKeys.groups, queryKeys.licences, queryKeys.activity, queryKeys.deletedItems, queryKeys.bulkJobs],
  },
  /** A first read committed more of the copy: the tables (users, groups) re-read their windows. */
  copyGrew: { reset: [], invalidate: [queryKeys.users, queryKeys.groups] },
  /** A person was created, changed or deleted: lists, that person's pages, and group memberships. */
  userChanged: { reset: [], invalidate: [queryKeys.users, queryKeys.groups, queryKeys.activity, queryKeys.deletedItems] },
  /** A person was created with groups and a licence: lists, memberships, seat counts. */
  userCreated: { reset: [], invalidate: [queryKeys.users, queryKeys.groups, queryKeys.licences, queryKeys.activity] },
  /** A licence was assigned or removed: seat counts, who holds each licence, and that person's licences. */
  licenceChanged: { reset: [], invalidate: [queryKeys.licences, queryKeys.users, queryKeys.activity] },
  /** A role was assigned or removed: the roles list, who holds each role, and people's roles. */
  // (`roles` is a prefix of `roleMembers`: one invalidation refetches both, once.)
  roleChanged: { reset: [], invalidate: [queryKeys.roles, queryKeys.users] },
  /** A group or its members changed: the groups (and their members), people's group lists, activity. */
  groupChanged: { reset: [], invalidate: [queryKeys.groups, queryKeys.users, queryKeys.activity, queryKeys.deletedItems] },
  /** Something in deleted items was restored or deleted for good: that list, and the tables it comes back to. */
  /** An undo changed the directory back and added an entry to the journal. */
  changeUndone: {
    reset: [],
    invalidate: [queryKeys.changes, queryKeys.users, queryKeys.groups, queryKeys.deletedItems, queryKeys.activity, queryKeys.licences, queryKeys.roles],
  },
  deletedChanged: { reset: [], invalidate: [queryKeys.deletedItems, queryKeys.users, queryKeys.groups, queryKeys.activity] },
  /** The event carries the new snapshot itself, so only the old account's data is dropped. */
  sessionChanged: { reset: [queryKeys.account], invalidate: [] },
  /** New rules apply from the next check: the status (next check time) and the history may change. */
  watchSettingsSaved: { reset: [], invalidate: [queryKeys.watchStatus, queryKeys.activity] },
} as const;
