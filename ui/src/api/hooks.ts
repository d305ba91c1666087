import { useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { commands } from "../bindings.gen";
import type {
  AccountView,
  ActivityEvent,
  ActivityQuery,
  AppSnapshot,
  DirectoryQuery,
  GroupChoice,
  GroupPage,
  PracticeSize,
  SignInRequest,
  UserPage,
  UserRow,
  WatchSettings,
  WatchStatus,
} from "./types";
import { type AppError, call, callPlain } from "./errors";
import { invalidation, queryKeys } from "./keys";
import { groupSource, userSource } from "./windows";

type Invalidation = { readonly reset: readonly QueryKey[]; readonly invalidate: readonly QueryKey[] };

/** Applies one `invalidation` entry: reset (drop + refetch if shown) and invalidate (refetch). */
export async function applyInvalidation(queryClient: QueryClient, what: Invalidation): Promise<void> {
  await Promise.all([
    ...what.reset.map((queryKey) => queryClient.resetQueries({ queryKey })),
    ...what.invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  ]);
}

/** Accounts, the active one and the remembered organization sign-in form. */
export function useAppState() {
  return useQuery<AppSnapshot, AppError>({
    queryKey: queryKeys.appState,
    queryFn: () => callPlain(commands.getAppState()),
  });
}

function useAccountMutation<TVariables, TData>(run: (variables: TVariables) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation<TData, AppError, TVariables>({
    mutationFn: run,
    // Invalidates: appState; resets: everything under `account` (users, activity, watch status).
    onSuccess: () => applyInvalidation(queryClient, invalidation.accountChanged),
  });
}

/** Opens the local practice tenant and makes it the active account; `readOnly`: with read permissions only. */
export function useOpenPracticeTenant() {
  return useAccountMutation<boolean, AccountView>((readOnly) => call(commands.openPracticeTenant(readOnly)));
}

/** Signs in to an organization in the system browser. Cancel with `useCancelSignIn`. */
export function useSignIn() {
  return useAccountMutation<SignInRequest, AccountView>((request) => call(commands.signIn(request)));
}

/**
 * Signs in to an organization with a code typed on any device (when no browser can be opened here).
 * The code arrives as the `deviceCodeShown` event: read it with `useDeviceCode`. Cancel with `useCancelSignIn`.
 */
export function useSignInWithCode() {
  return useAccountMutation<SignInRequest, AccountView>((request) => call(commands.signInWithCode(request)));
}

/**
 * Puts the practice tenant back to its sample directory and clears its activity history.
 * Invalidates: appState; resets: everything under `account`.
 */
export function useResetPracticeTenant() {
  return useAccountMutation<PracticeSize, null>((size) => call(commands.resetPracticeTenant(size)));
}

/** Stops a sign-in that is waiting for the browser; the pending `useSignIn` then fails with kind "cancelled". */
export function useCancelSignIn() {
  return useMutation<void, AppError, void>({
    mutationFn: () => callPlain(commands.cancelSignIn()),
  });
}

export function useSwitchAccount() {
  return useAccountMutation<string, AccountView>((accountId) => call(commands.switchAccount(accountId)));
}

export function useSignOut() {
  return useAccountMutation<string, null>((accountId) => call(commands.signOut(accountId)));
}

/**
 * A window of the users in the local copy (searched, filtered, sorted and counted in Rust; at most 500
 * rows), for pickers. Re-read from the copy on `directoryChanged` and after every change made here; the
 * previous window stays shown while the next one is read. (The Users table reads `userSource` through DataTable.)
 */
export function useUserWindow(query: DirectoryQuery, enabled = true) {
  return useQuery<UserPage, AppError>({
    queryKey: userSource.queryKey(query),
    queryFn: () => userSource.read(query),
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** A window of the Groups table's local copy (pickers: groups as members). */
export function useGroupWindow(query: DirectoryQuery, enabled = true) {
  return useQuery<GroupPage, AppError>({
    queryKey: groupSource.queryKey(query),
    queryFn: () => groupSource.read(query),
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** Find a person in the local copy by object id, sign-in name or any of their email addresses. */
export function useFindPerson() {
  return useMutation<UserRow | null, AppError, string>({
    mutationFn: (key) => call(commands.findPerson(key)),
  });
}

/** Recent directory changes, newest first. Refetched on `directoryChanged`. */
export function useActivity(limit: number | null = null) {
  const query: ActivityQuery = { limit };
  return useQuery<ActivityEvent[], AppError>({
    queryKey: queryKeys.activityQuery(query),
    queryFn: () => call(commands.listActivity(query)),
  });
}

/** How the directory watcher is doing. Kept current by the `watchStatusChanged` event. */
export function useWatchStatus() {
  return useQuery<WatchStatus, AppError>({
    queryKey: queryKeys.watchStatus,
    queryFn: () => callPlain(commands.getWatchStatus()),
  });
}

/** The active account's watch rules (what to watch, which groups, how often, how long to keep history). */
export function useWatchSettings() {
  return useQuery<WatchSettings, AppError>({
    queryKey: queryKeys.watchSettings,
    queryFn: () => call(commands.getWatchSettings()),
    staleTime: Infinity,
  });
}

/**
 * Saves the watch rules. Rust checks them first and answers a `validation` error naming the field
 * (pollIntervalSecs, retentionDays, watchedGroups). On success the saved rules become the cached ones;
 * invalidates: watch status, activity.
 */
export function useSaveWatchSettings() {
  const queryClient = useQueryClient();
  return useMutation<WatchSettings, AppError, WatchSettings>({
    mutationFn: (settings) => call(commands.setWatchSettings(settings)),
    onSuccess: async (saved) => {
      queryClient.setQueryData<WatchSettings>(queryKeys.watchSettings, saved);
      await applyInvalidation(queryClient, invalidation.watchSettingsSaved);
    },
  });
}

/** Groups whose name contains `text`, from the local copy of the directory (for the watch-list picker). */
export function useWatchGroupSearch(text: string, enabled = true) {
  return useQuery<GroupChoice[], AppError>({
    queryKey: queryKeys.watchGroupSearch(text),
    queryFn: () => call(commands.searchWatchGroups(text)),
    enabled,
    placeholderData: (previous) => previous,
  });
}

/** Checks the directory now; the result arrives as `watchStatusChanged` / `directoryChanged` events. */
export function useCheckNow() {
  return useMutation<null, AppError, void>({
    mutationFn: () => call(commands.checkNow()),
  });
}

/** Whether Entra Desk starts (in the tray) when the person signs in to this computer. */
export function useStartAtLogin() {
  return useQuery<boolean, AppError>({
    queryKey: queryKeys.startAtLogin,
    queryFn: () => call(commands.getStartAtLogin()),
    staleTime: Infinity,
  });
}

/** Turns start-at-login on or off; the answer (what the OS now says) becomes the cached value. */
export function useSetStartAtLogin() {
  const queryClient = useQueryClient();
  return useMutation<boolean, AppError, boolean>({
    mutationFn: (enabled) => call(commands.setStartAtLogin(enabled)),
    onSuccess: (enabled) => queryClient.setQueryData<boolean>(queryKeys.startAtLogin, enabled),
  });
}

/** Stops every wait for Microsoft Graph in progress: those actions end with "You stopped waiting…". */
export function useStopWaiting() {
  return useMutation<void, AppError, void>({
    mutationFn: () => callPlain(commands.stopWaiting()),
  });
}

