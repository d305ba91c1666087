// Hooks for the directory actions: Read/Create/Update/Delete User, Enable/Disable, Revoke sessions, Manager,
// Groups and their members. Every mutation says what it makes stale (keys.ts `invalidation`).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { commands } from "../bindings.gen";
import { type AppError, call } from "./errors";
import { applyInvalidation } from "./hooks";
import { invalidation, queryKeys } from "./keys";
import type {
  AddMembersResult,
  CreatedGroup,
  CustomRequestForm,
  CustomResponse,
  DirectoryQuery,
  Done,
  DomainView,
  FoundMemberRow,
  GroupDetails,
  GroupPatch,
  GroupRow,
  GuestForm,
  InvitedGuest,
  LicenseChangeResult,
  LicenseRow,
  ManagerView,
  MemberPage,
  MemberSearch,
  MembershipRuleCheck,
  NewGroupForm,
  NewUserRequest,
  CreatedUser,
  PasswordReset,
  RoleRow,
  ScopeRow,
  SearchForm,
  UserDetails,
  UserLicenseRow,
  UserPage,
  UserUpdate,
  UserRoleRow,
  UserRow,
} from "./types";

type Change = keyof typeof invalidation & ("userChanged" | "userCreated" | "groupChanged" | "licenceChanged" | "roleChanged");

function useDirectoryMutation<TVariables, TData>(run: (variables: TVariables) => Promise<TData>, what: Change) {
  const queryClient = useQueryClient();
  return useMutation<TData, AppError, TVariables>({
    mutationFn: run,
    onSuccess: () => applyInvalidation(queryClient, invalidation[what]),
  });
}

// ---- Users ----

/** One person with every property the details panel shows. */
/**
 * One object for a detail drawer: the local copy's row at once, then the live object from Microsoft Graph
 * (properties the copy does not keep, and anything newer than the last check).
 */
export type CopyThenLive<T> = {
  /** The live object once Graph answered; until then the copy's. */
  data: T | undefined;
  /** Shown from the local copy while Graph is asked (or because Graph could not be reached). */
  fromCopy: boolean;
  /** Nothing to show yet: neither the copy nor Graph has answered. */
  isPending: boolean;
  /** Graph's refusal or failure (the copy's row, if any, stays shown). */
  error: AppError | null;
};

function useCopyThenLive<T>(
  keys: { copy: readonly unknown[]; live: readonly unknown[] },
  read: { copy: () => Promise<T | null>; live: () => Promise<T> },
  enabled: boolean,
): CopyThenLive<T> {
  const copy = useQuery<T | null, AppError>({ queryKey: keys.copy, queryFn: read.copy, enabled });
  const live = useQuery<T, AppError>({ queryKey: keys.live, queryFn: read.live, enabled });
  const data = live.data ?? copy.data ?? undefined;
  return {
    data,
    fromCopy: live.data === undefined && data !== undefined,
    isPending: data === undefined && live.isPending,
    error: live.error,
  };
}

/** Read User: the copy's row at once, then the live object. */
export function useUser(id: string | null): CopyThenLive<UserDetails> {
  const key = id ?? "";
  return useCopyThenLive(
    { copy: queryKeys.userCopy(key), live: queryKeys.user(key) },
    { copy: () => call(commands.copyUser(key)), live: () => call(commands.getUser(key)) },
    id !== null,
  );
}

/** The person's manager; null when they have none. */
export function useManager(id: string | null) {
  return useQuery<ManagerView | null, AppError>({
    queryKey: queryKeys.userManager(id ?? ""),
    queryFn: () => call(commands.getManager(id ?? "")),
    enabled: id !== null,
  });
}

/** The groups the person is a direct member of. */
export function useUserGroups(id: string | null) {
  return useQuery<GroupRow[], AppError>({
    queryKey: queryKeys.userGroups(id ?? ""),
    queryFn: () => call(commands.userGroups(id ?? "")),
    enabled: id !== null,
  });
}

/** The groups the person owns, from the local copy. */
export function useOwnedGroups(id: string | null) {
  return useQuery<GroupRow[], AppError>({
    queryKey: queryKeys.ownedGroups(id ?? ""),
    queryFn: () => call(commands.ownedGroups(id ?? "")),
    enabled: id !== null,
  });
}

/** The people whose manager this person is, from the local copy (the first 500 by name, with the total). */
export function useDirectReports(id: string | null) {
  const query: DirectoryQuery = { text: null, criteria: [], sort: null, descending: false, offset: 0, limit: 500 };
  return useQuery<UserPage, AppError>({
    queryKey: queryKeys.directReports(id ?? ""),
    queryFn: () => call(commands.queryDirectReports(id ?? "", query)),
    enabled: id !== null,
  });
}

/** Create Cloud User, then its manager, groups and licence. Invalidates: users, groups, licences, activity. */
export function useCreateUser() {
  return useDirectoryMutation<NewUserRequest, CreatedUser>((request) => call(commands.createUser(request)), "userCreated");
}

/** A temporary password for a new account whose sign-in name starts with `alias` (generated in Rust, as Reset password's). */
export function newTemporaryPassword(alias: string): Promise<string> {
  return commands.newTemporaryPassword(alias);
}

/** Update User: only the fields given change. Invalidates: users, groups, activity. */
export function useUpdateUser() {
  return useDirectoryMutation<{ id: string; changes: UserUpdate }, UserDetails>(
    ({ id, changes }) => call(commands.updateUser(id, changes)),
    "userChanged",
  );
}

/** Reset Password: a new temporary password made in Rust, shown once. Invalidates: users. */
export function useResetPassword() {
  return useDirectoryMutation<{ id: string; mustChange: boolean }, PasswordReset>(
    ({ id, mustChange }) => call(commands.resetPassword(id, mustChange)),
    "userChanged",
  );
}

/** Enable or disable sign-in. Invalidates: users, groups, activity. */
export function useSetUserEnabled() {
  return useDirectoryMutation<{ id: string; enabled: boolean }, Done>(
    ({ id, enabled }) => call(commands.setUserEnabled(id, enabled)),
    "userChanged",
  );
}

/** Delete User (restorable for 30 days). Invalidates: users, groups, activity. */
export function useDeleteUser() {
  return useDirectoryMutation<string, Done>((id) => call(commands.deleteUser(id)), "userChanged");
}

/** Revoke User Sign-In Sessions. Changes nothing the lists show. */
export function useRevokeSessions() {
  return useMutation<Done, AppError, string>({ mutationFn: (id) => call(commands.revokeSessions(id)) });
}

/** Assign User Manager (replaces any previous one). Invalidates: users (and so the manager). */
export function useSetManager() {
  return useDirectoryMutation<{ id: string; manager: string }, Done>(
    ({ id, manager }) => call(commands.setManager(id, manager)),
    "userChanged",
  );
}

export function useRemoveManager() {
  return useDirectoryMutation<string, Done>((id) => call(commands.removeManager(id)), "userChanged");
}

// ---- Groups ----

/** Search Users in Microsoft Graph (live, advanced queries) for what the local copy does not keep. */
export function useGraphUserSearch() {
  return useMutation<UserRow[], AppError, SearchForm>({
    mutationFn: (search) => call(commands.searchUsers(search)),
  });
}

/** Search Groups in Microsoft Graph (live). */
export function useGraphGroupSearch() {
  return useMutation<GroupRow[], AppError, SearchForm>({
    mutationFn: (search) => call(commands.searchGroups(search)),
  });
}

/** Read Group: the copy's row at once, then the live object (mail settings included). */
export function useGroup(id: string | null): CopyThenLive<GroupDetails> {
  const key = id ?? "";
  return useCopyThenLive(
    { copy: queryKeys.groupCopy(key), live: queryKeys.group(key) },
    { copy: () => call(commands.copyGroup(key)), live: () => call(commands.getGroup(key)) },
    id !== null,
  );
}

/** Create Group. Invalidates: groups, users, activity. */
export function useCreateGroup() {
  return useDirectoryMutation<NewGroupForm, CreatedGroup>((group) => call(commands.createGroup(group)), "groupChanged");
}

export function useUpdateGroup() {
  return useDirectoryMutation<{ id: string; changes: GroupPatch }, GroupDetails>(
    ({ id, changes }) => call(commands.updateGroup(id, changes)),
    "groupChanged",
  );
}

export function useDeleteGroup() {
  return useDirectoryMutation<string, Done>((id) => call(commands.deleteGroup(id)), "groupChanged");
}

/** Add several members at once; the answer lists who was added and who already was a member. */
export function useAddGroupMembers() {
  return useDirectoryMutation<{ groupId: string; memberIds: string[] }, AddMembersResult>(
    ({ groupId, memberIds }) => call(commands.addGroupMembers(groupId, memberIds)),
    "groupChanged",
  );
}

/** Removes the membership only (never the person). */
export function useRemoveGroupMember() {
  return useDirectoryMutation<{ groupId: string; memberId: string }, Done>(
    ({ groupId, memberId }) => call(commands.removeGroupMember(groupId, memberId)),
    "groupChanged",
  );
}

/** Makes a person an owner of a group (they manage it; it does not make them a member). */
export function useAddGroupOwner() {
  return useDirectoryMutation<{ groupId: string; ownerId: string }, Done>(
    ({ groupId, ownerId }) => call(commands.addGroupOwner(groupId, ownerId)),
    "groupChanged",
  );
}

/** Removes the ownership only; Microsoft refuses to remove the last owner of a group that has owners. */
export function useRemoveGroupOwner() {
  return useDirectoryMutation<{ groupId: string; ownerId: string }, Done>(
    ({ groupId, ownerId }) => call(commands.removeGroupOwner(groupId, ownerId)),
    "groupChanged",
  );
}

/** A dynamic membership rule checked by Rust and said in plain words (no Graph request); idle while `rule` is empty. */
export function useMembershipRuleCheck(rule: string) {
  return useQuery<MembershipRuleCheck, AppError>({
    queryKey: queryKeys.membershipRule(rule),
    queryFn: () => call(commands.checkMembershipRule(rule)),
    enabled: rule.trim() !== "",
    retry: false,
    staleTime: Infinity,
  });
}

// ---- Licences ----

/** The organisation's subscriptions with product names and seats. */
export function useLicences(options?: { current?: boolean }) {
  return useQuery<LicenseRow[], AppError>({
    queryKey: queryKeys.licences,
    queryFn: () => call(commands.listLicenses()),
    // The Licences page counts seats, which other admins change too: it asks Graph each time it opens.
    refetchOnMount: options?.current ? "always" : true,
  });
}

export function useUserLicences(id: string | null) {
  return useQuery<UserLicenseRow[], AppError>({
    queryKey: queryKeys.userLicenses(id ?? ""),
    queryFn: () => call(commands.userLicenses(id ?? "")),
    enabled: id !== null,
  });
}

/** Assign License to User. Rust refuses with field "usageLocation" or "skuId" in plain words. Invalidates: licences, users, activity. */
export function useAssignLicence() {
  return useDirectoryMutation<{ userId: string; skuId: string; disabledPlans?: string[] }, LicenseChangeResult>(
    ({ userId, skuId, disabledPlans = [] }) => call(commands.assignLicense(userId, skuId, disabledPlans)),
    "licenceChanged",
  );
}

export function useRemoveLicence() {
  return useDirectoryMutation<{ userId: string; skuId: string }, LicenseChangeResult>(
    ({ userId, skuId }) => call(commands.removeLicense(userId, skuId)),
    "licenceChanged",
  );
}

/** Sets the two-letter country code a licence needs. Invalidates: users. */
export function useSetUsageLocation() {
  return useDirectoryMutation<{ userId: string; usageLocation: string }, UserDetails>(
    ({ userId, usageLocation }) => call(commands.setUsageLocation(userId, usageLocation)),
    "userChanged",
  );
}

/**
 * Search Group Members in Microsoft Graph (live): members (direct, or nested through groups inside the group),
 * owners or both, whose name or address matches the words. Runs when `search` is given.
 */
export function useGroupMemberSearch(groupId: string, search: MemberSearch | null) {
  return useQuery<FoundMemberRow[], AppError>({
    queryKey: queryKeys.groupMemberSearch(groupId, search ?? {}),
    queryFn: () => call(commands.searchGroupMembers(groupId, search as MemberSearch)),
    enabled: search !== null,
  });
}

// ---- Roles ----

/** Every built-in directory role, marked activated or not. */
export function useRoles() {
  return useQuery<RoleRow[], AppError>({ queryKey: queryKeys.roles, queryFn: () => call(commands.listDirectoryRoles()), staleTime: 5 * 60_000 });
}

/** Every holder a role window asks for (roles are held by a few people, not thousands). */
const ALL_HOLDERS: DirectoryQuery = { text: null, criteria: [], sort: null, descending: false, offset: 0, limit: 500 };

/**
 * Who holds a role directory-wide: people, groups and apps, from the local copy at once. Graph offers no change
 * tracking for roles, so the role is read again from Graph when the copy's list is older than a few minutes
 * (`refreshRoleHolders`); `data` stays undefined until the role has been read once, so an empty list means nobody.
 */
export function useRoleMembers(roleTemplateId: string | null) {
  const key = roleTemplateId ?? "";
  const enabled = roleTemplateId !== null;
  const copy = useQuery<MemberPage, AppError>({
    queryKey: queryKeys.roleMembers(key),
    queryFn: () => call(commands.queryRoleHolders(key, ALL_HOLDERS)),
    enabled,
  });
  const read = useQuery<boolean, AppError>({
    queryKey: queryKeys.roleHoldersRead(key),
    queryFn: () => call(commands.refreshRoleHolders(key, false)),
    enabled,
  });
  // Graph was asked: the copy now holds its answer.
  const { refetch } = copy;
  useEffect(() => {
    if (read.data === true) void refetch();
  }, [read.data, read.dataUpdatedAt, refetch]);
  const known = copy.data !== undefined && copy.data.asOf !== null;
  return {
    data: known ? copy.data?.rows : undefined,
    asOf: copy.data?.asOf ?? null,
    isPending: !known && !read.isError && !copy.isError,
    isSuccess: known,
    isFetching: copy.isFetching || read.isFetching,
    error: copy.error ?? read.error,
  };
}

export function useUserRoles(id: string | null) {
  return useQuery<UserRoleRow[], AppError>({
    queryKey: queryKeys.userRoles(id ?? ""),
    queryFn: () => call(commands.userRoles(id ?? "")),
    enabled: id !== null,
  });
}

/** The organisation's custom roles (Assign Role offers them after the built-in ones). */
export function useCustomRoles() {
  return useQuery<RoleRow[], AppError>({ queryKey: queryKeys.customRoles, queryFn: () => call(commands.listCustomRoles()), staleTime: 5 * 60_000 });
}

/** The directory's administrative units: the scopes a role can be given in besides the whole directory. */
export function useAdministrativeUnits() {
  return useQuery<ScopeRow[], AppError>({ queryKey: queryKeys.administrativeUnits, queryFn: () => call(commands.listAdministrativeUnits()), staleTime: 5 * 60_000 });
}

/**
 * Assign Role: `roleTemplateId` is a built-in role's template id or name, a role definition id (custom roles too)
 * or an activated role's id; `scope` null or "/" for the whole directory, else an administrative unit's id.
 */
export function useAssignRole() {
  return useDirectoryMutation<{ userId: string; roleTemplateId: string; scope?: string | null }, Done>(
    ({ userId, roleTemplateId, scope }) => call(commands.assignRole(userId, roleTemplateId, scope ?? null)),
    "roleChanged",
  );
}

/** Unassign Role by the assignment a person's role list shows (any role, any scope). */
export function useUnassignRoleAssignment() {
  return useDirectoryMutation<{ userId: string; assignmentId: string }, Done>(
    ({ userId, assignmentId }) => call(commands.unassignRoleAssignment(userId, assignmentId)),
    "roleChanged",
  );
}

/** Unassign Role directory-wide (the Roles page's holders). */
export function useUnassignRole() {
  return useDirectoryMutation<{ userId: string; roleTemplateId: string }, Done>(
    ({ userId, roleTemplateId }) => call(commands.unassignRole(userId, roleTemplateId)),
    "roleChanged",
  );
}

// ---- Domains ----

/** The organisation's domains, default first (for sign-in names). */
export function useDomains() {
  return useQuery<DomainView[], AppError>({ queryKey: queryKeys.domains, queryFn: () => call(commands.listDomains()), staleTime: 5 * 60_000 });
}

// ---- Guests and custom requests ----

/** Create Guest User (invitation). Invalidates: users, groups, activity. */
export function useInviteGuest() {
  return useDirectoryMutation<GuestForm, InvitedGuest>((guest) => call(commands.inviteGuest(guest)), "userChanged");
}

/** Custom API Action: any Graph v1.0 request. Changes nothing cached (it can't know what it changed). */
export function useCustomRequest() {
  return useMutation<CustomResponse, AppError, CustomRequestForm>({ mutationFn: (request) => call(commands.customRequest(request)) });
}
