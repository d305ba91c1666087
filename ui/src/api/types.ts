// Friendly names for the generated contract. tauri-specta exports each type twice: `_Serialize` is what
// Rust sends (every field present, `null` when empty), `_Deserialize` is what Rust accepts. The UI reads
// the first and sends the second.
import type * as Gen from "../bindings.gen";

export type AccountKind = Gen.AccountKind;
export type AccountView = Gen.AccountView;
export type CloudName = Gen.CloudName;
export type OrganizationProfile = Gen.OrganizationProfile;
/** What `signIn` takes: the organization form (tenant, client id, cloud). */
export type SignInRequest = Gen.OrganizationProfile;
export type AppSnapshot = Gen.AppSnapshot_Serialize;
export type UserRow = Gen.UserRow_Serialize;
export type EventKind = Gen.EventKind;
export type PropertyChange = Gen.PropertyChange_Serialize;
export type ActivityEvent = Gen.ActivityEvent_Serialize;
export type ActivityQuery = Gen.ActivityQuery_Deserialize;
export type WatchState = Gen.WatchState;
export type WatchStatus = Gen.WatchStatus_Serialize;
export type IpcError = Gen.IpcError_Serialize;
export type DirectoryChangedPayload = Gen.DirectoryChanged_Serialize;
export type SessionChangedPayload = Gen.SessionChanged_Serialize;
export type WatchStatusChangedPayload = Gen.WatchStatusChanged_Serialize;
export type WatchSettings = Gen.WatchSettings;
export type KindSetting = Gen.KindSetting;
export type GroupChoice = Gen.GroupChoice;
