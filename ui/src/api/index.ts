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
  GroupChoice,
  IpcError,
  KindSetting,
  OrganizationProfile,
  PropertyChange,
  SessionChangedPayload,
  SignInRequest,
  UserRow,
  WatchSettings,
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
  useCheckNow,
  useCancelSignIn,
  useOpenPracticeTenant,
  useSignIn,
  useSaveWatchSettings,
  useSetStartAtLogin,
  useSignOut,
  useStartAtLogin,
  useSwitchAccount,
  useUsers,
  useWatchGroupSearch,
  useWatchSettings,
  useWatchStatus,
} from "./hooks";
export { useBackendEvents } from "./events";
export { createQueryClient } from "./queryClient";
