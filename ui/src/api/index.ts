// The UI's only door to the Rust side. Components import hooks and types from here.
export type {
  AccountKind,
  AccountView,
  ActivityEvent,
  ActivityQuery,
  AppSnapshot,
  CloudName,
  DirectoryChangedPayload,
  EventKind,
  IpcError,
  OrganizationProfile,
  PropertyChange,
  SessionChangedPayload,
  SignInRequest,
  UserRow,
  WatchState,
  WatchStatus,
  WatchStatusChangedPayload,
} from "./types";
export { AppError, call, callPlain, toAppError, unwrap } from "./errors";
export type { CommandResult, IpcErrorKind } from "./errors";
export { queryKeys, invalidation } from "./keys";
export {
  applyInvalidation,
  useActivity,
  useAppState,
  useCancelSignIn,
  useOpenPracticeTenant,
  useSignIn,
  useSignOut,
  useSwitchAccount,
  useUsers,
  useWatchStatus,
} from "./hooks";
export { useBackendEvents } from "./events";
export { createQueryClient } from "./queryClient";
